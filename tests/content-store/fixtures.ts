/** What the content store's files hold for `value`: its entryJson text and a final line break. */
import { entryJson } from '../../content-store/json.ts';

export const stableJson = (value: unknown): string => `${entryJson(value)}\n`;
