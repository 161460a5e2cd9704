/**
 * The live APIs the sync talks to by default, and the one OAuth scope it asks Google for. AIRTABLE_ENDPOINT_URL and
 * GOOGLE_SHEETS_ROOT_URL (the emulators, in tests and the demo) replace the addresses.
 */
export const AIRTABLE_API = 'https://api.airtable.com';
export const SHEETS_API = 'https://sheets.googleapis.com/';
/** Read-only access to the spreadsheets shared with the service account. */
export const SHEETS_READONLY_SCOPE = 'https://www.googleapis.com/auth/spreadsheets.readonly';
