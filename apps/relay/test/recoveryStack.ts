import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import { captureLogs, tempDir, testConfig } from './helpers.js';
import { fastOutbox } from './orgDelivery.js';

export interface RecoveryStack {
  org: OrgSimulator;
  app: FastifyInstance;
  logs: ReturnType<typeof captureLogs>;
}

/**
 * The automatic re-queue's test stack, set up in the calling describe's beforeAll: the org
 * simulator's healthy org and a relay delivering into it with fast retries and the given recovery
 * schedule, logging at info; faults are cleared after each test. The fields are set once the
 * beforeAll has run.
 */
export function useRecoveryStack(
  outbox: Partial<RelayConfig['outbox']>,
  deliveryRecovery: RelayConfig['deliveryRecovery'],
): RecoveryStack {
  const stack = { logs: captureLogs({ level: 'info' }) } as RecoveryStack;
  let dir: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    stack.org = await startOrgSimulator({ fixture: 'healthy' });
    dir = tempDir();
    stack.app = await buildApp(
      testConfig(dir.path, { outbox: fastOutbox(outbox), deliveryRecovery }),
      { loggerInstance: stack.logs.logger },
    );
    await stack.app.ready();
  });
  afterAll(async () => {
    await stack.app?.close();
    await stack.org?.close();
    dir?.remove();
  });
  afterEach(() => stack.org?.clearFaults());
  return stack;
}
