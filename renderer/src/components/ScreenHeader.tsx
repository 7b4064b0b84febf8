/** The title row of a screen: its heading, a line about it, and its main actions. */
import type { ReactNode } from 'react';

/** The h1 carries id "screen-title", which labels the main region. */
export function ScreenHeader({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="screen-header">
      <div>
        <h1 id="screen-title">{title}</h1>
        {description && <p className="screen-description">{description}</p>}
      </div>
      {children && <div className="screen-actions">{children}</div>}
    </div>
  );
}
