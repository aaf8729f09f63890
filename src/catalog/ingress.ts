import type { CheckSpec } from './types.ts';

// The ingress suite (suites/ingress): one finding per check and host. Facts come from src/probes/{dns,tls,http}.ts,
// verdicts from src/ingress/verdicts.ts; the rules below are the policy's stated defaults.
const PLAN = 'plan §2.1.2 (DNS, TLS certificates, 404 before deployment, GitHub OAuth)';

export const ingressChecks: CheckSpec[] = [
  {
    id: 'ingress.dns.resolve',
    suite: 'ingress',
    title: 'Host name resolves',
    description: 'The host resolves (getaddrinfo, so /etc/hosts counts) or has an ingress.resolve override in the profile.',
    reasons: ['dns', 'timeout'],
    source: PLAN,
  },
  {
    id: 'ingress.tls.handshake',
    suite: 'ingress',
    title: 'TCP connect and TLS handshake',
    description: 'A TCP connection to the https port and a TLS handshake with the host as SNI succeed (any protocol version, no verification: the other checks judge what was offered).',
    reasons: ['connect', 'refused', 'timeout', 'tls_handshake'],
    source: PLAN,
  },
  {
    id: 'ingress.tls.trust',
    suite: 'ingress',
    title: 'Certificate chain is trusted',
    description:
      'The chain as sent leads to a trusted root: Node\'s root store, NODE_EXTRA_CA_CERTS and ingress.ca_bundle (non-self-signed certificates in the bundle count as known intermediates). Missing issuers are never fetched (no AIA).',
    reasons: ['untrusted', 'default_cert'],
    source: PLAN,
  },
  {
    id: 'ingress.tls.hostname',
    suite: 'ingress',
    title: 'Certificate names the host',
    description:
      'A DNS subjectAltName of the leaf matches the host (RFC 6125: a wildcard only as the whole left-most label, one label deep; the subject CN is ignored, as browsers do).',
    reasons: ['hostname_mismatch', 'default_cert'],
    source: PLAN,
  },
  {
    id: 'ingress.tls.expiry',
    suite: 'ingress',
    title: 'Certificates are valid now and not about to expire',
    description: 'Every certificate sent is within its validity period; the leaf and the chain have more than warn_days (warn) and fail_days (fail) left.',
    reasons: ['cert_expired', 'cert_not_yet_valid', 'cert_expiring'],
    thresholds: {
      warn_days: { default: 30, unit: 'days', doc: 'warn when fewer days than this are left' },
      fail_days: { default: 7, unit: 'days', doc: 'fail when fewer days than this are left' },
    },
    source: PLAN,
  },
  {
    id: 'ingress.tls.protocol',
    suite: 'ingress',
    title: 'Modern TLS only',
    description: 'Each version from TLS 1.0 to 1.3 is tried on its own handshake: min_version or newer is offered, and nothing older.',
    reasons: ['old_protocol', 'timeout'],
    thresholds: { min_version: { default: 'TLSv1.2', doc: 'oldest acceptable version: TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3' } },
    source: 'Mozilla "intermediate" TLS profile; RFC 8996 (TLS 1.0 and 1.1 deprecated)',
  },
  {
    id: 'ingress.tls.key_strength',
    suite: 'ingress',
    title: 'Strong keys',
    description: 'The public key of every certificate sent is at least rsa_min_bits (RSA, DSA) or ec_min_bits (EC); Ed25519/Ed448 pass.',
    reasons: ['weak_crypto'],
    thresholds: {
      rsa_min_bits: { default: 2048, unit: 'bits', doc: 'smallest acceptable RSA/DSA modulus' },
      ec_min_bits: { default: 256, unit: 'bits', doc: 'smallest acceptable EC curve size' },
    },
    source: 'CA/Browser Forum Baseline Requirements §6.1.5',
  },
  {
    id: 'ingress.tls.signature',
    suite: 'ingress',
    title: 'No weak signatures',
    description: 'No certificate sent is signed with a weak hash (read from the DER); a self-signed root\'s signature on itself does not count.',
    reasons: ['weak_crypto'],
    thresholds: { weak_hashes: { default: 'md2,md4,md5,sha1', doc: 'comma-separated hash names that fail' } },
    source: 'CA/Browser Forum Baseline Requirements §7.1.3',
  },
  {
    id: 'ingress.tls.chain_complete',
    suite: 'ingress',
    title: 'Full chain sent',
    description:
      'The server sends every certificate between the leaf and a root: a missing intermediate fails even when this client could find it (in the bundle), because other clients cannot.',
    reasons: ['incomplete_chain'],
    source: PLAN,
  },
  {
    id: 'ingress.tls.default_cert',
    suite: 'ingress',
    title: "Not the ingress controller's default certificate",
    description:
      'The leaf is not the certificate the ingress controller serves for hosts it has no TLS entry for (ingress-nginx: "Kubernetes Ingress Controller Fake Certificate").',
    reasons: ['default_cert'],
    thresholds: { default_subject: { default: 'Kubernetes Ingress Controller Fake Certificate', doc: 'subject CN or O of the controller\'s default certificate' } },
    source: 'ingress-nginx default SSL certificate',
  },
  {
    id: 'ingress.http.hsts',
    suite: 'ingress',
    title: 'HSTS',
    description: 'HTTPS answers carry Strict-Transport-Security with max-age of at least min_max_age_s (max-age=0 switches HSTS off).',
    reasons: ['no_hsts'],
    thresholds: { min_max_age_s: { default: 1, unit: 's', doc: 'smallest acceptable max-age' } },
    source: 'RFC 6797',
  },
  {
    id: 'ingress.http.redirect',
    suite: 'ingress',
    title: 'Plain HTTP redirects to HTTPS',
    description:
      'GET / over plain HTTP on ingress.http_port answers 301, 302, 307 or 308 with a Location on https:// and the same host. Nothing listening on the plain port is a warning (no redirect for users who type the bare name).',
    reasons: ['no_redirect', 'timeout'],
    source: 'ingress-nginx ssl-redirect',
  },
  {
    id: 'ingress.http.phase_answer',
    suite: 'ingress',
    title: 'The host answers as expected in this phase',
    description:
      'pre-deploy: every host but Argo CD answers 404 from the ingress, Argo CD answers (200 or a redirect). deployed: InfluxDB GET /ping 204 with X-Influxdb-Version; Schema Registry GET registry_path 200 with a JSON array; Chronograf and Argo CD answer GET / with 2xx, 3xx, 401 or 403; other hosts anything but 404 and 5xx.',
    reasons: ['http_status', 'timeout', 'connect', 'refused', 'tls_handshake'],
    thresholds: { registry_path: { default: '/subjects', doc: 'path of the Schema Registry subjects list behind the ingress' } },
    source: PLAN,
  },
  {
    id: 'ingress.auth.anonymous',
    suite: 'ingress',
    title: 'Anonymous users get no app and no data',
    description:
      'Chronograf and Argo CD: GET / without credentials is a redirect to a login (github.com/login/oauth…, or a path with login, oauth, oauth2, auth, dex or sso), a 401/403, or a 200 login page (a password field, or a link or form to such a login URL); a 200 page without those passes only if the API (Argo CD /api/v1/applications, Chronograf /chronograf/v1/sources) refuses anonymous users with 401/403. The API answering 200 JSON fails. InfluxDB: /query without credentials answers 401.',
    reasons: ['auth', 'http_status'],
    source: 'plan §2.1.2 Authentication (GitHub OAuth, lsst-sqre); InfluxDB auth-enabled at LDF',
  },
  {
    id: 'ingress.vantage.refused',
    suite: 'ingress',
    title: 'Refused from outside the allowlist',
    description:
      'Only when the profile sets ingress.expect_refused (this vantage is outside the source ranges): the connection is refused or reset, or the answer is 403. Anything else, a timeout included, fails.',
    reasons: ['policy', 'timeout'],
    source: 'plan §2.1.2 (access from NCSA, Tucson and the VPN only)',
  },
];

export const INGRESS_CHECK_IDS = ingressChecks.map((c) => c.id);
