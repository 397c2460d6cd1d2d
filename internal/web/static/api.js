// api.js talks to roundtrip's JSON API (docs/api.md). Errors come back as
// RFC 9457 problem+json; they are thrown as ApiError with the problem body.
// Writes carry the bearer token the user gave, kept for the browser session.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

const TOKEN_KEY = 'roundtrip.token';

export function token() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

export function setToken(t) {
  try { sessionStorage.setItem(TOKEN_KEY, t); } catch { /* storage off: keep none */ }
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && token()) headers.Authorization = 'Bearer ' + token();
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const doc = type.includes('json') ? await res.json() : { detail: await res.text() };
  if (!res.ok) throw new ApiError(res.status, doc);
  return doc;
}

export const api = {
  scenarios: () => request('GET', '/api/scenarios'),
  scenario: (id) => request('GET', `/api/scenarios/${id}`),
  createScenario: (name, yaml) => request('POST', '/api/scenarios', { name, yaml }),
  updateScenario: (id, name, yaml) => request('PUT', `/api/scenarios/${id}`, { name, yaml }),
  validate: (name, yaml) => request('POST', '/api/scenarios/validate', { name, yaml }),
  runs: (scenarioId, limit = 50) => request('GET', `/api/runs?limit=${limit}` + (scenarioId ? `&scenario=${scenarioId}` : '')),
  run: (id) => request('GET', `/api/runs/${id}`),
  startRun: (scenarioId, mode = 'deterministic', paths = 0, seed = 0) =>
    request('POST', '/api/runs', mode === 'montecarlo' ? { scenario_id: scenarioId, mode, paths, seed } : { scenario_id: scenarioId }),
  cancelRun: (id) => request('POST', `/api/runs/${id}/cancel`),
  results: (id) => request('GET', `/api/runs/${id}/results`),
  dataset: () => request('GET', '/api/dataset'),
  tables: (id) => request('GET', `/api/runs/${id}/tables`),
  trace: (id, name) => request('GET', `/api/runs/${id}/trace/${encodeURIComponent(name)}`),
};

// watchRun calls onRun with the run at each change until it is final, and
// resolves with the final run. It listens to the progress stream and falls
// back to polling where server-sent events fail.
export function watchRun(id, onRun) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => { if (!done) { done = true; resolve(r); } };
    const poll = async () => {
      while (!done) {
        try {
          const r = await api.run(id);
          onRun(r);
          if (['done', 'failed', 'cancelled'].includes(r.status)) return finish(r);
        } catch { /* keep polling */ }
        await new Promise((ok) => setTimeout(ok, 250));
      }
    };
    if (typeof EventSource === 'undefined') return poll();
    const es = new EventSource(`/api/runs/${id}/progress`);
    es.addEventListener('run', (ev) => {
      const r = JSON.parse(ev.data);
      onRun(r);
      if (['done', 'failed', 'cancelled'].includes(r.status)) { es.close(); finish(r); }
    });
    es.onerror = () => { es.close(); if (!done) poll(); };
  });
}
