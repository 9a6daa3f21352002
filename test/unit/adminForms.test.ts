/**
 * The administrator's forms are read into the shape of their payload schema by a reader derived from the
 * schema (web/forms.ts formReader): the values below are what the hand-written readers produced.
 */
import { readForm } from '../../web/masterData/pages';
import { userPayload } from '../../web/masterData/schemas';

it('an enterprise form: trimmed texts, a number, checkboxes, contact rows without the empty ones', () => {
  const body = {
    _csrf: 'x',
    id: ' ent-1 ',
    name: ' 甲公司 ',
    uscc: '91310115MA1K4ABC1X',
    regionId: 'east',
    industry: 'dust_explosion',
    dustType: '',
    dustWorkers: '12',
    size: 'small',
    inherentRisk: 'yellow',
    address: '',
    'contacts.0.name': '张三',
    'contacts.0.phone': '',
    'contacts.1.name': '',
    'contacts.2.email': 'li@x.example',
    hqEmail: '',
    shouldConnect: 'on',
  };
  expect(readForm.enterprise(body)).toEqual({
    id: 'ent-1',
    name: '甲公司',
    uscc: '91310115MA1K4ABC1X',
    regionId: 'east',
    industry: 'dust_explosion',
    dustType: undefined,
    dustWorkers: 12,
    size: 'small',
    inherentRisk: 'yellow',
    address: undefined,
    contacts: [
      { name: '张三', phone: undefined, email: undefined, title: undefined },
      { name: undefined, phone: undefined, email: 'li@x.example', title: undefined },
    ],
    hqEmail: undefined,
    shouldConnect: true,
    connected: false,
  });
});

it('an agency form: industries from a multi-select, emails one per line', () => {
  expect(
    readForm.agency({
      id: 'a1',
      name: '区应急管理局',
      role: 'district_emergency',
      regionId: 'east',
      industries: ['dust_explosion', 'metallurgy'],
      emails: 'a@x.example\r\n\r\n b@x.example ',
      webhookUrl: '',
    }),
  ).toEqual({
    id: 'a1',
    name: '区应急管理局',
    role: 'district_emergency',
    regionId: 'east',
    industries: ['dust_explosion', 'metallurgy'],
    emails: ['a@x.example', 'b@x.example'],
    webhookUrl: undefined,
  });
});

it('a device form: indicator rows with numbers (a non-number stays text for the schema to name)', () => {
  const read = readForm.device({
    id: 'd1',
    name: '除尘器',
    kind: 'dust_collector',
    system: '',
    status: 'active',
    'indicators.0.code': 'dp',
    'indicators.0.name': '压差',
    'indicators.0.kind': 'differential_pressure',
    'indicators.0.unit': 'Pa',
    'indicators.0.alarmHigh': '900',
    'indicators.0.intervalSec': 'x',
  });
  expect(read.indicators).toEqual([
    {
      code: 'dp',
      name: '压差',
      kind: 'differential_pressure',
      unit: 'Pa',
      normalMin: undefined,
      normalMax: undefined,
      alarmLow: undefined,
      alarmHigh: 900,
      alarmLowLow: undefined,
      alarmHighHigh: undefined,
      rangeMin: undefined,
      rangeMax: undefined,
      intervalSec: 'x',
    },
  ]);
  expect(read).toMatchObject({ id: 'd1', name: '除尘器', kind: 'dust_collector', system: undefined, status: 'active' });
});

it('a user form keeps the password as typed (not trimmed), and the schema still refuses a short one', () => {
  const read = readForm.user({
    username: 'u1',
    password: ' short ',
    displayName: '用户',
    role: 'admin',
    agencyId: '',
    enterpriseId: '',
    email: '',
  });
  expect(read).toEqual({
    username: 'u1',
    password: ' short ',
    displayName: '用户',
    role: 'admin',
    agencyId: undefined,
    enterpriseId: undefined,
    email: undefined,
  });
  expect(userPayload.safeParse(read).error?.issues[0].path).toEqual(['password']);
});

it('a cleaning plan form: item rows', () => {
  expect(
    readForm.cleaningPlan({
      'items.0.item': '除尘器清灰',
      'items.0.frequency': 'daily',
      'items.3.item': '地面',
      'items.3.area': '车间',
      'items.3.frequency': 'per_shift',
      'items.3.responsible': '王五',
    }),
  ).toEqual({
    items: [
      { item: '除尘器清灰', area: undefined, frequency: 'daily', responsible: undefined },
      { item: '地面', area: '车间', frequency: 'per_shift', responsible: '王五' },
    ],
  });
});
