/** The Content-Security-Policy of the console, shared by the Electron window and the web host. */
export function contentSecurityPolicy(options: { connect?: string[] } = {}): string {
  return [...directives(options), "frame-ancestors 'none'"].join('; ');
}

/**
 * The same policy as renderer/index.html carries it in a `<meta http-equiv>` tag, for the file://
 * page where no response header applies. Browsers ignore frame-ancestors there, so it is left out.
 */
export function metaContentSecurityPolicy(): string {
  return directives({}).join('; ');
}

function directives(options: { connect?: string[] }): string[] {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${options.connect?.length ? ' ' + options.connect.join(' ') : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
}
