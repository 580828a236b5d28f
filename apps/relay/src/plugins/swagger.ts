import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** The HTML pages (swagger UI), which @fastify/helmet guards (not the API's headers: security.ts). */
const DOCS_PREFIX = '/docs';

/** OpenAPI generated from the route schemas, browsable at /docs. Register before the routes. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Sync Doctor relay',
          version: '0.1.0',
          description:
            'Receives HubSpot suspension signals (signed webhooks, forwarded e-mails, sync-error exports), keeps them, and pushes them into Salesforce.',
        },
        // RELAY_PUBLIC_URL: where clients reach the relay (behind a load balancer, not this
        // instance's own address), for /docs' "Try it out" and clients generated from /docs/json.
        ...(app.config.publicUrl ? { servers: [{ url: app.config.publicUrl }] } : {}),
        components: {
          securitySchemes: {
            adminToken: { type: 'http', scheme: 'bearer', description: 'RELAY_ADMIN_TOKEN' },
            signature: {
              type: 'apiKey',
              in: 'header',
              name: 'x-sync-doctor-signature',
              description:
                'v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>, with x-sync-doctor-timestamp (unix seconds)',
            },
            inboundToken: { type: 'apiKey', in: 'header', name: 'x-sync-doctor-token' },
          },
        },
      },
    });
    // The only HTML the relay serves: @fastify/helmet's document headers, in this context only
    // (API answers carry OWASP's REST set, security.ts), and swagger-ui's own CSP for its assets.
    await app.register(async (docs) => {
      await docs.register(helmet, { contentSecurityPolicy: false });
      await docs.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
    });
  },
  { name: 'relay-swagger' },
);
