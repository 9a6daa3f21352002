/**
 * The authorization matrix: every route the app answers — pages and API, read from the Express
 * router, not a hand list — × every kind of caller → the status it must get. A route added without
 * an entry here fails the first test; an entry whose route is gone fails it too.
 *
 * Callers: anonymous; enterprise A's user (the resource owner) and enterprise B's; the regulator
 * whose jurisdiction holds A (east) and one whose does not (west); the administrator. Resources in
 * the URLs are A's (case, task, enterprise, device, report line). Pages are called with a valid
 * CSRF token of the caller's own session, so what is measured is the role and jurisdiction check.
 * Writes carry an empty body: an allowed caller gets the form's 400 (or a 404 for a made-up id),
 * never a change.
 */
import { sha256 } from '../../lib/passwords';
import { routeKeys } from '../helpers/routes';
import { startStack, Stack } from '../helpers/stack';
import { PASSWORD, seedWorld } from '../e2e/world';

const ROLES = ['anon', 'entA', 'entB', 'regIn', 'regOut', 'admin'] as const;
type Role = (typeof ROLES)[number];
const USERS: Record<Exclude<Role, 'anon'>, string> = {
  entA: 'ent-a-user',
  entB: 'ent-b-user',
  regIn: 'reg-east',
  regOut: 'reg-west',
  admin: 'admin1',
};

/** Expected statuses in ROLES order: anonymous, enterprise A, enterprise B, regulator in, regulator out, admin. */
type Row = [number, number, number, number, number, number];
interface Entry {
  /** The concrete path to call (default: the route's own path). */
  url?: string;
  exp: Row;
}

const CASE_A = encodeURIComponent('risk-warning/ent-a');
const REPORT = 'report/weekly/2026-11-02/v1';
// Shorthands for common rows.
const pageLogin = (ent: [number, number], reg: [number, number], admin: number): Row => [
  303,
  ent[0],
  ent[1],
  reg[0],
  reg[1],
  admin,
];
const adminPage = (ok = 200): Row => [303, 403, 403, 403, 403, ok];
const adminPost = (ok = 400): Row => [401, 403, 403, 403, 403, ok];
const entPage = (ok = 200): Row => [303, ok, ok, 403, 403, 403];
const entPost = (ok = 400): Row => [401, ok, ok, 403, 403, 403];
const api = (anon: number, ent: [number, number], reg: [number, number], admin: number): Row => [
  anon,
  ent[0],
  ent[1],
  reg[0],
  reg[1],
  admin,
];
const apiAdmin = (ok: number): Row => [401, 403, 403, 403, 403, ok];
const everyone = (s: number): Row => [s, s, s, s, s, s];
const everyOneSignedIn = (s: number): Row => [401, s, s, s, s, s];

const MATRIX: Record<string, Entry> = {
  'GET /health': { exp: everyone(200) },
  // Prometheus text: loopback callers without a token (no METRICS_TOKEN here); a forwarded or remote caller is refused (metrics.test.ts).
  'GET /metrics': { exp: everyone(200) },
  'GET /': { exp: [200, 303, 303, 303, 303, 303] },
  // The demo is off unless WARNFLOW_DEMO=1 (this stack runs as production does).
  'GET /demo': { exp: everyone(404) },
  'POST /demo': { exp: everyone(404) },
  'GET /demo/:caseId': { url: '/demo/demo%2Fx', exp: everyone(404) },
  // Sent mail and the catcher's mailbox: administrators only.
  'GET /outbox': { exp: adminPage() },
  'GET /mailbox': { exp: adminPage() },
  'GET /login': { exp: [200, 303, 303, 303, 303, 303] },
  'POST /login': { exp: everyone(400) },
  'GET /account/password': { exp: pageLogin([200, 200], [200, 200], 200) },
  'POST /account/password': { exp: [401, 400, 400, 400, 400, 400] },
  'GET /inbox': { exp: pageLogin([303, 303], [200, 200], 200) },
  // The feedback task is the enterprise's: its regulator reads the case, not the enterprise's form.
  'GET /tasks/:taskId': {
    url: `/tasks/${encodeURIComponent('risk-warning/ent-a/feedback')}`,
    exp: pageLogin([200, 403], [403, 403], 200),
  },
  'POST /tasks/:taskId/complete': {
    url: `/tasks/${encodeURIComponent('risk-warning/ent-a/feedback')}/complete`,
    exp: [401, 400, 403, 403, 403, 400],
  },
  'POST /tasks/:taskId/claim': {
    url: `/tasks/${encodeURIComponent('risk-warning/ent-a/nothing')}/claim`,
    exp: [401, 403, 403, 404, 404, 404],
  },
  'POST /tasks/:taskId/assign': {
    url: `/tasks/${encodeURIComponent('risk-warning/ent-a/nothing')}/assign`,
    exp: [401, 403, 403, 400, 400, 400],
  },
  'GET ^\\/cases\\/(.+)$': { url: `/cases/${CASE_A}`, exp: pageLogin([200, 403], [200, 403], 200) },
  'POST ^\\/cases\\/(.+)\\/(interview|penalty|public-notice)$': {
    url: `/cases/${CASE_A}/interview`,
    exp: [401, 403, 403, 400, 403, 403],
  },
  'POST ^\\/cases\\/(.+)\\/level$': { url: `/cases/${CASE_A}/level`, exp: [401, 403, 403, 400, 403, 400] },
  'GET /documents/:documentId': { url: '/documents/none', exp: pageLogin([404, 404], [404, 404], 404) },
  'GET /spot-check': { exp: pageLogin([403, 403], [200, 200], 200) },
  'GET /key-targets': { exp: pageLogin([403, 403], [200, 200], 200) },
  'POST /key-targets/:year/:enterpriseId/inspection': {
    url: '/key-targets/2026/ent-a/inspection',
    exp: [401, 403, 403, 404, 404, 404],
  },
  // Exports of the lists (issue 16): each service cuts to the caller's jurisdiction, as its page does.
  'GET /exports/inbox': { exp: pageLogin([200, 200], [200, 200], 200) },
  'GET /exports/spot-check': { exp: pageLogin([403, 403], [200, 200], 200) },
  'GET /exports/cases': { exp: pageLogin([403, 403], [200, 200], 200) },
  'GET /exports/report': {
    url: `/exports/report?id=${encodeURIComponent(REPORT)}`,
    exp: pageLogin([403, 403], [200, 200], 200),
  },
  'GET /enterprises/:enterpriseId': { url: '/enterprises/ent-a', exp: pageLogin([200, 403], [200, 403], 200) },
  'GET /dashboard': { exp: pageLogin([200, 200], [200, 200], 200) },
  'GET /portal': { exp: entPage() },
  'GET /portal/cleaning': { exp: entPage() },
  'POST /portal/cleaning': { exp: entPost() },
  'GET /portal/suspension': { exp: entPage() },
  'POST /portal/suspension': { exp: entPost() },
  'GET /portal/config': { exp: entPage() },
  'POST /portal/keys': { exp: [401, 200, 200, 403, 403, 403] },
  'POST /portal/keys/:keyId/revoke': { url: '/portal/keys/none/revoke', exp: [401, 404, 404, 403, 403, 403] },
  'GET /uploads/:id': { url: '/uploads/none', exp: pageLogin([404, 404], [404, 404], 404) },
  'GET /portal/config/enterprise': { exp: entPage() },
  'POST /portal/config/enterprise': { exp: entPost(303) },
  'GET /portal/config/devices/new': { exp: entPage() },
  'POST /portal/config/devices': { exp: entPost() },
  'GET /portal/config/devices/:id': { url: '/portal/config/devices/dev-a1', exp: [303, 200, 403, 403, 403, 403] },
  'POST /portal/config/devices/:id': { url: '/portal/config/devices/dev-a1', exp: [401, 400, 403, 403, 403, 403] },
  'POST /portal/config/devices/:id/retire': {
    url: '/portal/config/devices/none/retire',
    exp: [401, 404, 404, 403, 403, 403],
  },
  'POST /portal/config/devices/:id/reactivate': {
    url: '/portal/config/devices/none/reactivate',
    exp: [401, 404, 404, 403, 403, 403],
  },
  'GET /portal/config/cleaning-plan': { exp: entPage() },
  'POST /portal/config/cleaning-plan': { exp: entPost(303) },
  'GET /notifications': { exp: pageLogin([200, 200], [200, 200], 200) },
  // Permit pages: the list is everyone's within jurisdiction; applying and the steps of the work are the enterprise's.
  'GET /permits': { exp: pageLogin([200, 200], [200, 200], 200) },
  'GET /permits/new': { exp: entPage() },
  'POST /permits/new': { exp: entPost() },
  'GET /permits/:permitId': { url: '/permits/none', exp: pageLogin([404, 404], [404, 404], 404) },
  'POST /permits/:permitId/:step': { url: '/permits/none/start', exp: entPost(404) },
  'POST /notifications/read': { exp: [401, 400, 400, 400, 400, 400] },
  'GET /admin': { exp: adminPage() },
  'GET /admin/audit': { exp: adminPage() },
  'GET /admin/audit/verify': { exp: adminPage() },
  'GET /admin/outbox': { exp: adminPage() },
  'GET /admin/lists/:kind': { url: '/admin/lists/users', exp: adminPage() },
  'GET /admin/users/new': { exp: adminPage() },
  'GET /admin/users/:id': { url: '/admin/users/ent-a-user', exp: adminPage() },
  'POST /admin/users': { exp: adminPost() },
  'POST /admin/users/:id': { url: '/admin/users/nobody', exp: adminPost(404) },
  'GET /admin/agencies/new': { exp: adminPage() },
  'GET /admin/agencies/:id': { url: '/admin/agencies/east-dust', exp: adminPage() },
  'POST /admin/agencies': { exp: adminPost() },
  'POST /admin/agencies/:id': { url: '/admin/agencies/none', exp: adminPost(404) },
  'GET /admin/regions/new': { exp: adminPage() },
  'GET /admin/regions/:id': { url: '/admin/regions/east', exp: adminPage() },
  'POST /admin/regions': { exp: adminPost() },
  'POST /admin/regions/:id': { url: '/admin/regions/none', exp: adminPost(404) },
  'GET /admin/enterprises/new': { exp: adminPage() },
  'GET /admin/enterprises/:id': { url: '/admin/enterprises/ent-a', exp: adminPage() },
  'POST /admin/enterprises': { exp: adminPost() },
  'POST /admin/enterprises/:id': { url: '/admin/enterprises/none', exp: adminPost(404) },
  'POST /admin/users/:id/password': { url: '/admin/users/nobody/password', exp: adminPost(404) },
  'POST /admin/users/:id/deactivate': { url: '/admin/users/nobody/deactivate', exp: adminPost(404) },
  'POST /admin/users/:id/activate': { url: '/admin/users/nobody/activate', exp: adminPost(404) },
  'GET /admin/enterprises/:id/devices': { url: '/admin/enterprises/ent-a/devices', exp: adminPage() },
  'GET /admin/enterprises/:id/devices/new': { url: '/admin/enterprises/ent-a/devices/new', exp: adminPage() },
  'GET /admin/devices/:id': { url: '/admin/devices/dev-a1', exp: adminPage() },
  'POST /admin/enterprises/:id/devices': { url: '/admin/enterprises/none/devices', exp: adminPost(404) },
  'POST /admin/devices/:id': { url: '/admin/devices/none', exp: adminPost(404) },
  'GET /admin/enterprises/:id/cleaning-plan': { url: '/admin/enterprises/ent-a/cleaning-plan', exp: adminPage() },
  'POST /admin/enterprises/:id/cleaning-plan': { url: '/admin/enterprises/none/cleaning-plan', exp: adminPost(404) },
  'GET /admin/policies/escalation': { exp: adminPage() },
  'POST /admin/policies/escalation': { exp: adminPost() },
  'GET /admin/policies/report-rules': { exp: adminPage() },
  'POST /admin/policies/report-rules': { exp: adminPost() },
  'GET /admin/policies/permits': { exp: adminPage() },
  'GET /admin/policies/risk': { exp: adminPage() },
  'POST /admin/policies/risk': { exp: adminPost() },
  'POST /admin/policies/risk/preview': { exp: adminPost() },
  'GET /portal/risk': { exp: entPage() },
  'GET /risk': { exp: pageLogin([403, 403], [200, 200], 200) },
  'GET /risk/explanation': { exp: pageLogin([200, 200], [200, 200], 200) },
  'GET /risk/enterprises/:enterpriseId': {
    url: '/risk/enterprises/ent-a',
    exp: pageLogin([200, 403], [200, 403], 200),
  },
  'GET /risk/enterprises/:enterpriseId/history': {
    url: '/risk/enterprises/ent-a/history',
    exp: pageLogin([200, 403], [200, 403], 200),
  },
  'POST /admin/policies/permits': { exp: adminPost() },
  'GET /admin/policies/enforcement': { exp: adminPage() },
  'POST /admin/policies/enforcement': { exp: adminPost() },
  'GET /admin/policies/offline': { exp: adminPage() },
  'POST /admin/policies/offline': { exp: adminPost() },
  'GET /admin/policies/alarms': { exp: adminPage() },
  'POST /admin/policies/alarms': { exp: adminPost() },
  'GET /admin/reports': { exp: adminPage() },
  'POST /admin/reports': { exp: adminPost() },
  'GET /admin/reports/pdf': {
    url: `/admin/reports/pdf?id=${encodeURIComponent('report/weekly/2026-11-02/v9')}`,
    exp: adminPage(404),
  },

  // The JSON API: bearer tokens; anonymous is 401 except the token issue and the readings interface (its data key).
  'GET /api/v1/openapi.yaml': { exp: everyone(200) },
  'GET /api/v1/openapi.json': { exp: everyone(200) },
  'GET /api/v1/reference': { exp: everyone(200) },
  'POST /api/v1/auth/token': { exp: everyone(400) },
  'POST /api/v1/demo-cases': { exp: everyone(404) },
  'GET /api/v1/demo-cases/:caseId': { url: '/api/v1/demo-cases/demo%2Fx', exp: everyone(404) },
  'POST /api/v1/readings': { exp: everyone(401) },
  'POST /api/v1/video-status': { exp: everyone(401) },
  'POST /api/v1/alarms/:deviceCode/:indicator/disposal': {
    url: '/api/v1/alarms/dev-a1/dp/disposal',
    exp: api(401, [400, 400], [403, 403], 403),
  },
  'GET /api/v1/alarm-policy': { exp: api(401, [200, 200], [200, 200], 200) },
  'PUT /api/v1/alarm-policy': { exp: apiAdmin(400) },
  'POST /api/v1/suspensions': { exp: api(401, [400, 400], [403, 403], 403) },
  'GET /api/v1^\\/suspensions\\/(suspension\\/[^/]+\\/[^/]+)$': {
    url: '/api/v1/suspensions/suspension/ent-a/none',
    exp: everyOneSignedIn(404),
  },
  'POST /api/v1^\\/suspensions\\/(suspension\\/[^/]+\\/[^/]+)\\/decision$': {
    url: '/api/v1/suspensions/suspension/ent-a/none/decision',
    exp: api(401, [403, 403], [400, 400], 400),
  },
  'GET /api/v1/offline-policy': { exp: api(401, [200, 200], [200, 200], 200) },
  'PUT /api/v1/offline-policy': { exp: apiAdmin(400) },
  'GET /api/v1/policies/escalation': { exp: api(401, [200, 200], [200, 200], 200) },
  'PUT /api/v1/policies/escalation': { exp: apiAdmin(400) },
  'GET /api/v1/policies/enforcement': { exp: api(401, [200, 200], [200, 200], 200) },
  'PUT /api/v1/policies/enforcement': { exp: apiAdmin(400) },
  'POST /api/v1/warnings': { exp: api(401, [403, 403], [400, 400], 400) },
  'GET /api/v1/cases': { exp: api(401, [200, 200], [200, 200], 200) },
  'POST /api/v1^\\/cases\\/(.+)\\/level$': {
    url: `/api/v1/cases/${CASE_A}/level`,
    exp: api(401, [400, 400], [400, 400], 400),
  },
  'POST /api/v1^\\/cases\\/(.+)\\/feedback$': {
    url: `/api/v1/cases/${CASE_A}/feedback`,
    exp: api(401, [400, 400], [400, 400], 400),
  },
  'POST /api/v1^\\/cases\\/(.+)\\/policy-version$': {
    url: `/api/v1/cases/${CASE_A}/policy-version`,
    exp: api(401, [400, 400], [400, 400], 400),
  },
  'GET /api/v1^\\/cases\\/(.+)$': { url: `/api/v1/cases/${CASE_A}`, exp: api(401, [200, 404], [200, 404], 200) },
  'GET /api/v1/tasks': { exp: api(401, [200, 200], [200, 200], 200) },
  // Special-work permits: the feed and counts are everyone's within jurisdiction; applying and the steps of the work are the enterprise's.
  'GET /api/v1/permits': { exp: api(401, [200, 200], [200, 200], 200) },
  'POST /api/v1/permits': { exp: api(401, [400, 400], [403, 403], 400) },
  'GET /api/v1/permits/counts': { exp: everyOneSignedIn(200) },
  'GET /api/v1/policies/permits': { exp: everyOneSignedIn(200) },
  'PUT /api/v1/policies/permits': { exp: apiAdmin(400) },
  'GET /api/v1/policies/risk': { exp: everyOneSignedIn(200) },
  'PUT /api/v1/policies/risk': { exp: apiAdmin(400) },
  'POST /api/v1/policies/risk/preview': { exp: apiAdmin(400) },
  'GET /api/v1/risk/distribution': { exp: api(401, [403, 403], [200, 200], 200) },
  'GET /api/v1/risk/enterprises/:enterpriseId': {
    url: '/api/v1/risk/enterprises/ent-a',
    exp: api(401, [200, 403], [200, 403], 200),
  },
  'GET /api/v1/risk/enterprises/:enterpriseId/history': {
    url: '/api/v1/risk/enterprises/ent-a/history',
    exp: api(401, [200, 403], [200, 403], 200),
  },
  'GET /api/v1/permits/:id': { url: '/api/v1/permits/none', exp: everyOneSignedIn(404) },
  'POST /api/v1/permits/:id/sign-off': {
    url: '/api/v1/permits/none/sign-off',
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1/permits/:id/gas-analysis': {
    url: '/api/v1/permits/none/gas-analysis',
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1/permits/:id/start': { url: '/api/v1/permits/none/start', exp: api(401, [404, 404], [403, 403], 403) },
  'POST /api/v1/permits/:id/check-in': {
    url: '/api/v1/permits/none/check-in',
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1/permits/:id/suspend': {
    url: '/api/v1/permits/none/suspend',
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1/permits/:id/resume': { url: '/api/v1/permits/none/resume', exp: api(401, [404, 404], [403, 403], 403) },
  'POST /api/v1/permits/:id/extension': {
    url: '/api/v1/permits/none/extension',
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1/permits/:id/extension-decision': {
    url: '/api/v1/permits/none/extension-decision',
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1/permits/:id/finish': { url: '/api/v1/permits/none/finish', exp: api(401, [404, 404], [403, 403], 403) },
  'POST /api/v1/permits/:id/acceptance': {
    url: '/api/v1/permits/none/acceptance',
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1/permits/:id/cancel': { url: '/api/v1/permits/none/cancel', exp: api(401, [404, 404], [403, 403], 403) },
  'POST /api/v1^\\/permit-conduct-alarms\\/(.+)\\/explanation$': {
    url: `/api/v1/permit-conduct-alarms/${encodeURIComponent('permit/none/conduct/1')}/explanation`,
    exp: api(401, [404, 404], [403, 403], 403),
  },
  'POST /api/v1^\\/tasks\\/(.+)\\/complete$': {
    url: `/api/v1/tasks/${encodeURIComponent('risk-warning/ent-a/feedback')}/complete`,
    exp: api(401, [400, 400], [400, 400], 400),
  },
  'POST /api/v1/regions': { exp: apiAdmin(400) },
  'GET /api/v1/regions': { exp: api(401, [200, 200], [200, 200], 200) },
  'POST /api/v1/agencies': { exp: apiAdmin(400) },
  'GET /api/v1/agencies': { exp: api(401, [403, 403], [200, 200], 200) },
  'POST /api/v1/enterprises': { exp: apiAdmin(400) },
  'GET /api/v1/enterprises': { exp: api(401, [200, 200], [200, 200], 200) },
  'GET /api/v1/enterprises/:id': { url: '/api/v1/enterprises/ent-a', exp: api(401, [200, 403], [200, 403], 200) },
  'PATCH /api/v1/enterprises/:id': { url: '/api/v1/enterprises/ent-a', exp: apiAdmin(200) },
  'POST /api/v1/enterprises/:id/video-channels': {
    url: '/api/v1/enterprises/ent-a/video-channels',
    exp: apiAdmin(400),
  },
  'POST /api/v1/enterprises/:id/data-keys': {
    url: '/api/v1/enterprises/ent-a/data-keys',
    exp: api(401, [201, 403], [403, 403], 201),
  },
  'GET /api/v1/enterprises/:id/data-keys': {
    url: '/api/v1/enterprises/ent-a/data-keys',
    exp: api(401, [200, 403], [403, 403], 200),
  },
  'DELETE /api/v1/enterprises/:id/data-keys/:keyId': {
    url: '/api/v1/enterprises/ent-a/data-keys/none',
    exp: api(401, [404, 403], [403, 403], 404),
  },
  'POST /api/v1/devices': { exp: apiAdmin(400) },
  'GET /api/v1/devices': { url: '/api/v1/devices?enterpriseId=ent-a', exp: api(401, [200, 403], [200, 403], 200) },
  'GET /api/v1/indicator-catalogues/:industry': {
    url: '/api/v1/indicator-catalogues/dust_explosion',
    exp: api(401, [200, 200], [200, 200], 200),
  },
  'POST /api/v1/users': { exp: apiAdmin(400) },
  'GET /api/v1/users': { exp: apiAdmin(200) },
  'DELETE /api/v1/users/:username': { url: '/api/v1/users/nobody', exp: apiAdmin(404) },
  'GET /api/v1/policies/report-rules': { exp: api(401, [200, 200], [200, 200], 200) },
  'PUT /api/v1/policies/report-rules': { exp: apiAdmin(400) },
  'GET /api/v1/key-targets': { exp: api(401, [403, 403], [400, 400], 400) },
  'POST /api/v1/key-targets/:year/:enterpriseId/inspection': {
    url: '/api/v1/key-targets/2026/ent-a/inspection',
    exp: api(401, [403, 403], [404, 404], 404),
  },
  'POST /api/v1/reports': { exp: apiAdmin(400) },
  'GET /api/v1/reports': { exp: api(401, [403, 403], [200, 200], 200) },
  // A report: each caller sees its own part (its line; its jurisdiction's lines); the PDF is whole, for those who may see every line.
  'GET /api/v1^\\/reports\\/(report\\/(?:weekly|monthly)\\/\\d{4}-\\d{2}-\\d{2}\\/v\\d+)$': {
    url: `/api/v1/reports/${REPORT}`,
    exp: api(401, [200, 200], [200, 200], 200),
  },
  'GET /api/v1^\\/reports\\/(report\\/(?:weekly|monthly)\\/\\d{4}-\\d{2}-\\d{2}\\/v\\d+)\\/pdf$': {
    url: `/api/v1/reports/${REPORT}/pdf`,
    exp: api(401, [403, 403], [403, 403], 404),
  },
  'GET /api/v1/notifications': { exp: api(401, [200, 200], [200, 200], 200) },
  'POST /api/v1^\\/notifications\\/(.+)\\/read$': {
    url: '/api/v1/notifications/none/read',
    exp: api(401, [404, 404], [404, 404], 404),
  },
  'POST /api/v1/uploads': { exp: api(401, [400, 400], [403, 403], 403) },
  'GET /api/v1/documents': { exp: api(401, [200, 200], [400, 400], 400) },
  'GET /api/v1/documents/:documentId': { url: '/api/v1/documents/none', exp: api(401, [404, 404], [404, 404], 404) },
  'POST /api/v1/interviews': { exp: api(401, [403, 403], [400, 400], 400) },
  'POST /api/v1/penalties': { exp: api(401, [403, 403], [400, 400], 400) },
  'POST /api/v1/public-notices': { exp: api(401, [403, 403], [400, 400], 400) },
  // Last: they end the token / the session (and the tokens) they are called with.
  'DELETE /api/v1/auth/token': { exp: everyOneSignedIn(204) },
  'POST /logout': { exp: [401, 303, 303, 303, 303, 303] },
};

let stack: Stack;
interface Caller {
  cookie?: string;
  csrf?: string;
  token?: string;
}
const callers = {} as Record<Role, Caller>;

async function pageSession(username?: string): Promise<Caller> {
  const first = await fetch(`${stack.baseUrl}/login`, { redirect: 'manual' });
  let cookie = first.headers
    .getSetCookie()
    .find((c) => c.startsWith('wf_session='))!
    .split(';')[0];
  if (username) {
    const csrf = (await stack.models.Session.findById(sha256(decodeURIComponent(cookie.split('=')[1]))).lean())!.csrf;
    const res = await fetch(`${stack.baseUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: PASSWORD, _csrf: csrf }),
    });
    if (res.status !== 303) throw new Error(`login ${username}: ${res.status}`);
    cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('wf_session='))!
      .split(';')[0];
  }
  const csrf = (await stack.models.Session.findById(sha256(decodeURIComponent(cookie.split('=')[1]))).lean())!.csrf;
  return { cookie, csrf };
}

async function apiToken(username: string): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`token ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  // A finished weekly report with a line for each enterprise.
  const row = (enterpriseId: string, region: string) => ({
    enterpriseId,
    regionId: region,
    regionPath: ['city', region],
    industry: 'dust_explosion',
    dataOfflineRatePercent: 1,
    videoOfflineRatePercent: 0,
    longestOfflineHours: 0,
    sensors: 1,
    videoChannels: 0,
    alarms: 0,
    outOfRange: 0,
    frozen: 0,
    longestSources: [],
  });
  await stack.models.Report.create({
    _id: REPORT,
    kind: 'weekly',
    periodStart: '2026-11-02',
    periodEnd: '2026-11-09',
    version: 1,
    status: 'done',
    rulesVersion: 1,
    requestedBy: 'admin1',
    createdAt: new Date(),
    figures: {
      period: { kind: 'weekly', start: '2026-11-02', end: '2026-11-09', days: 7 },
      enterprises: [row('ent-a', 'east'), row('ent-b', 'west')],
      totals: {
        enterprises: 2,
        dataOfflineRatePercent: 1,
        videoOfflineRatePercent: 0,
        alarms: 0,
        outOfRange: 0,
        frozen: 0,
      },
    },
    followUps: [],
  });
  callers.anon = await pageSession();
  for (const [role, username] of Object.entries(USERS) as [Exclude<Role, 'anon'>, string][])
    callers[role] = { ...(await pageSession(username)), token: await apiToken(username) };
}, 120_000);
afterAll(async () => stack?.stop());

test('every route of the app has an entry in the matrix, and every entry is a route', () => {
  const routes = [...new Set(routeKeys(stack.app!))].sort();
  expect(routes.filter((k) => !(k in MATRIX))).toEqual([]);
  expect(Object.keys(MATRIX).filter((k) => !routes.includes(k))).toEqual([]);
});

test('each caller gets the expected status on each route', async () => {
  const wrong: string[] = [];
  for (const [key, entry] of Object.entries(MATRIX)) {
    const [method, ...rest] = key.split(' ');
    const url = entry.url ?? rest.join(' ');
    const isApi = url.startsWith('/api/');
    for (const [i, role] of ROLES.entries()) {
      const c = callers[role];
      const headers: Record<string, string> = { accept: isApi ? 'application/json' : 'text/html' };
      let body: string | undefined;
      if (isApi) {
        if (c.token) headers.authorization = `Bearer ${c.token}`;
        if (method !== 'GET') {
          headers['content-type'] = 'application/json';
          body = '{}';
        }
      } else {
        if (c.cookie) headers.cookie = c.cookie;
        if (method !== 'GET') {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          body = new URLSearchParams({ _csrf: c.csrf ?? '' }).toString();
        }
      }
      const res = await fetch(stack.baseUrl + url, { method, headers, body, redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status !== entry.exp[i]) wrong.push(`${key} as ${role}: ${res.status} (expected ${entry.exp[i]})`);
    }
  }
  expect(wrong).toEqual([]);
}, 300_000);
