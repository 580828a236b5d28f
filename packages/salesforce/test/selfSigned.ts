import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
// One certificate maker for every workspace's tests (the relay's tests use it too), so a fix to
// the openssl call (say, an IP subjectAltName) reaches all of them.
import { selfSignedCertificate } from '../../hubspot-signals/test/helpers/selfSigned.js';

export { selfSignedCertificate };

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
