/** The few line icons the console uses, drawn inline (the CSP allows no remote images). */
import type { ReactNode } from 'react';

function Icon({ children, size = 18 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.7"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

/** The lifebuoy of the brand. */
export function LifebuoyIcon({ size = 26 }: { size?: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="13" fill="var(--brand)" />
      <circle cx="16" cy="16" r="6" fill="var(--surface)" />
      <g stroke="var(--surface)" strokeWidth="4">
        <path d="M6.8 6.8l4.6 4.6M25.2 6.8l-4.6 4.6M6.8 25.2l4.6-4.6M25.2 25.2l-4.6-4.6" />
      </g>
    </svg>
  );
}

export const DashboardIcon = () => (
  <Icon>
    <rect x="3.5" y="3.5" width="7" height="9" rx="1.5" />
    <rect x="13.5" y="3.5" width="7" height="5" rx="1.5" />
    <rect x="13.5" y="11.5" width="7" height="9" rx="1.5" />
    <rect x="3.5" y="15.5" width="7" height="5" rx="1.5" />
  </Icon>
);
export const ServicesIcon = () => (
  <Icon>
    <path d="M12 3.5l8.5 4.5-8.5 4.5-8.5-4.5z" />
    <path d="M3.5 12l8.5 4.5 8.5-4.5" />
    <path d="M3.5 16l8.5 4.5 8.5-4.5" />
  </Icon>
);
export const GroupsIcon = () => (
  <Icon>
    <rect x="3.5" y="4.5" width="7" height="6" rx="1.5" />
    <rect x="13.5" y="13.5" width="7" height="6" rx="1.5" />
    <path d="M14 7.5h3.5a2 2 0 0 1 2 2v1.5M10 16.5H6.5a2 2 0 0 1-2-2V13" />
    <path d="M17.5 9.5l2 2 2-2M2.5 15l2-2 2 2" />
  </Icon>
);
export const ServersIcon = () => (
  <Icon>
    <rect x="3.5" y="4" width="17" height="6.5" rx="1.5" />
    <rect x="3.5" y="13.5" width="17" height="6.5" rx="1.5" />
    <path d="M7 7.25h.01M7 16.75h.01M11 7.25h6M11 16.75h6" />
  </Icon>
);
export const ContactsIcon = () => (
  <Icon>
    <circle cx="12" cy="8.5" r="3.5" />
    <path d="M5 20c.8-3.6 3.6-5.5 7-5.5s6.2 1.9 7 5.5" />
  </Icon>
);
export const DownloadIcon = () => (
  <Icon size={16}>
    <path d="M12 4v11M7.5 10.5L12 15l4.5-4.5M5 19.5h14" />
  </Icon>
);
export const UploadIcon = () => (
  <Icon size={16}>
    <path d="M12 15.5V4.5M7.5 9L12 4.5 16.5 9M5 19.5h14" />
  </Icon>
);
export const PlusIcon = () => (
  <Icon size={16}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);
export const WarningIcon = () => (
  <Icon size={16}>
    <path d="M12 4l9 16H3z" />
    <path d="M12 10v4.5M12 17.3h.01" />
  </Icon>
);
export const HealthIcon = () => (
  <Icon>
    <path d="M3 12h4l2.5-6 4 12 2.5-6h5" />
  </Icon>
);
export const FailoverIcon = () => (
  <Icon>
    <path d="M4 8h13l-3.5-3.5M20 16H7l3.5 3.5" />
  </Icon>
);
export const RunbookIcon = () => (
  <Icon>
    <path d="M6 3.5h9l3 3v14H6z" />
    <path d="M9 10h6M9 13.5h6M9 17h4" />
  </Icon>
);
export const DrillIcon = () => (
  <Icon>
    <circle cx="12" cy="13" r="7" />
    <path d="M12 9.5V13l2.5 2M10 3.5h4" />
  </Icon>
);
export const AuditIcon = () => (
  <Icon>
    <rect x="4.5" y="3.5" width="15" height="17" rx="1.5" />
    <path d="M8 8h8M8 12h8M8 16h5" />
  </Icon>
);
export const PlanIcon = () => (
  <Icon>
    <path d="M7 3.5h7l4 4v13H7z" />
    <path d="M14 3.5v4h4M9.5 12.5l2 2 3.5-3.5" />
  </Icon>
);
export const SitesIcon = () => (
  <Icon>
    <path d="M12 21s-6.5-5.6-6.5-11a6.5 6.5 0 0 1 13 0c0 5.4-6.5 11-6.5 11z" />
    <circle cx="12" cy="10" r="2.3" />
  </Icon>
);
export const SettingsIcon = () => (
  <Icon>
    <path d="M4 7h10M18 7h2M4 17h4M12 17h8" />
    <circle cx="16" cy="7" r="2" />
    <circle cx="10" cy="17" r="2" />
  </Icon>
);
