/** /favicon.svg: the newest edition's initials in the site's accent colours (src/lib/favicon.ts). */
import type { APIRoute } from 'astro';
import css from '../styles/global.css?raw';
import { allEditions } from '../lib/edition.ts';
import { coloursFromCss, faviconSvg } from '../lib/favicon.ts';

export const GET: APIRoute = async () => {
  const [newest] = await allEditions();
  return new Response(faviconSvg(newest?.data.shortTitle ?? 'Workshop', coloursFromCss(css)), {
    headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' },
  });
};
