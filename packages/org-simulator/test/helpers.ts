import { startOrgSimulator, type OrgSimulator, type OrgSimulatorOptions } from '../src/index.js';

export const API = '/services/data/v64.0';

/** A simulator plus small fetch helpers that speak its REST API as a client would. */
export interface TestOrg {
  sim: OrgSimulator;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  send(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  query(soql: string, headers?: Record<string, string>): Promise<Response>;
}

export async function startTestOrg(options: OrgSimulatorOptions = {}): Promise<TestOrg> {
  const sim = await startOrgSimulator(options);
  const auth = () => ({ Authorization: `Bearer ${sim.accessToken}` });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}${path}`, { headers: { ...auth(), ...headers } });
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${sim.url}${path}`, {
      method,
      headers: { ...auth(), 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const query = (soql: string, headers: Record<string, string> = {}) =>
    get(`${API}/query?q=${encodeURIComponent(soql)}`, headers);
  return { sim, get, send, query };
}
