import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

/**
 * A throwaway self-signed certificate for one DNS name (subjectAltName DNS only, no IP address),
 * made with the machine's `openssl` (node:crypto cannot make X.509 certificates). A client that
 * trusts it (as its `ca`) accepts it only when it checks the certificate against that name.
 */
export function selfSignedCertificate(name: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sync-doctor-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `run` with an HTTPS server on 127.0.0.1 answering every request 200 `{"ok":true}`, its
 * certificate self-signed for `localhost` and trusted as a default CA meanwhile; afterwards the
 * default CAs are put back and the server closed.
 */
export async function withTrustedLocalhostTarget(
  run: (port: number) => Promise<void>,
): Promise<void> {
  const cert = selfSignedCertificate('localhost');
  const systemCAs = getCACertificates('default');
  setDefaultCACertificates([...systemCAs, cert.cert]);
  const target = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  );
  try {
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    await run((target.address() as AddressInfo).port);
  } finally {
    setDefaultCACertificates(systemCAs);
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  }
}
