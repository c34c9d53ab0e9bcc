// The admin API client. The master key lives in sessionStorage only (gone when the tab closes;
// never a cookie, never in a URL) and is sent as an Authorization header on every call: a header
// a page of another origin cannot make the browser send, which is what protects the admin API
// from cross-site requests (docs/console.md, "Security").

const STORAGE = 'conduit.masterKey';
let onUnauthorized = () => {};

export const session = {
  key: () => sessionStorage.getItem(STORAGE),
  save: (key) => sessionStorage.setItem(STORAGE, key),
  clear: () => sessionStorage.removeItem(STORAGE),
  onUnauthorized: (handler) => {
    onUnauthorized = handler;
  },
};

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls /api/admin{path}. body: an object (sent as JSON) or {text, type} (sent as is).
 * Answers the parsed JSON, or the text for non-JSON answers (CSV exports).
 */
export async function api(method, path, body, key = session.key()) {
  const headers = {'Authorization': 'Bearer ' + (key || ''), 'Accept': 'application/json'};
  let payload;
  if (body !== undefined && body !== null) {
    if (typeof body.text === 'string' && typeof body.type === 'string') {
      headers['Content-Type'] = body.type;
      payload = body.text;
    } else {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  const response = await fetch('/api/admin' + path, {
    method,
    headers,
    body: payload,
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'error',
  });
  const type = response.headers.get('Content-Type') || '';
  const answer = type.includes('application/json') ? await response.json() : await response.text();
  if (response.status === 401) {
    // Only the stored key's refusal ends the session (not a key being tried at login).
    if (key && key === session.key()) onUnauthorized();
    throw new ApiError(401, 'The master key was refused; log in again.', 'unauthorized');
  }
  if (!response.ok) {
    const error = answer && answer.error;
    throw new ApiError(response.status, error ? error.message : 'HTTP ' + response.status,
        error && error.code);
  }
  return answer;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length === 0 ? '' : '?' + new URLSearchParams(entries).toString();
}
