/** robots.txt: everything may be indexed; points crawlers to the sitemap. */
import type { APIRoute } from 'astro';
import { absoluteUrl } from '../lib/site.ts';

export const GET: APIRoute = ({ site }) =>
  new Response(`User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl('sitemap-index.xml', site)}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
