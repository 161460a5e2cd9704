/** Site-wide helpers: links that respect the configured base path, and absolute URLs. */

/** A link inside the site, e.g. `href('2024_2/')` → `/2024_2/` (or `/workshop/2024_2/` with BASE_PATH). */
export function href(path: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  return base + path.replace(/^\//, '');
}

/** The absolute URL of a path inside the site, for the sitemap, Open Graph, JSON-LD and calendars. */
export function absoluteUrl(path: string, site: URL | undefined): string {
  return new URL(href(path), site ?? 'http://localhost:4321').href;
}
