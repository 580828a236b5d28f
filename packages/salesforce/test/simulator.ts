/**
 * The org simulator as this package's tests start it, and the key pair they sign in with by JWT:
 * each written once here, where the test files had each written them out.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  startOrgSimulator,
  type OrgSimulator,
  type OrgSimulatorOptions,
} from '@sync-doctor/org-simulator';

/** An RSA key pair for the JWT bearer flow: the private key as PKCS#8 PEM (what connect takes). */
export function jwtKeyPair(): { privatePem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/**
 * One simulator for the file's tests that signs in by JWT with a fresh key pair: started before
 * them (handed to `started`), closed after them. Gives the private key's PEM, for connect.
 */
export function jwtSimulatorForAll(
  options: OrgSimulatorOptions & { clientId: string },
  started: (sim: OrgSimulator) => void,
): { privatePem: string } {
  const { privatePem, publicKey } = jwtKeyPair();
  let sim: OrgSimulator | undefined;
  beforeAll(async () => {
    sim = await startOrgSimulator({ ...options, jwtPublicKey: publicKey });
    started(sim);
  });
  afterAll(async () => sim?.close());
  return { privatePem };
}

/** Runs `run` against a simulator of its own (on a free port), closed after, however it ends. */
export async function withSimulator<T>(
  options: OrgSimulatorOptions | undefined,
  run: (sim: OrgSimulator) => Promise<T>,
): Promise<T> {
  const sim = await startOrgSimulator({ port: 0, ...options });
  try {
    return await run(sim);
  } finally {
    await sim.close();
  }
}
