/**
 * Master data: regions, agencies, enterprises, devices with their indicators, video channels.
 * String ids chosen by the administrator (or the seed) so that workflow ids and URLs read well.
 */
import { Schema } from 'mongoose';
import { modelOn } from './bind';
import {
  AGENCY_ROLES,
  DUST_TYPES,
  ENTERPRISE_SIZES,
  INDUSTRIES,
  REGION_KINDS,
  AgencyRole,
  DustType,
  EnterpriseSize,
  Industry,
  RegionKind,
} from '../domain/masterData';
import { LEVELS, Level } from '../domain/cases';

export interface RegionDoc {
  _id: string; // administrative code or slug, e.g. "310115" or "pudong-zone-a"
  name: string; // Chinese name shown to users
  nameEn?: string;
  kind: RegionKind;
  parentId?: string;
  /** Ancestors, root first, then this region: jurisdiction checks are one `$in`. */
  path: string[];
}
export const regionSchema = new Schema<RegionDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    nameEn: String,
    kind: { type: String, enum: REGION_KINDS, required: true },
    parentId: String,
    path: { type: [String], required: true },
  },
  { collection: 'regions', versionKey: false },
);
// Children of a region (region tree pages, seed).
regionSchema.index({ parentId: 1 });

export interface AgencyDoc {
  _id: string;
  name: string;
  role: AgencyRole;
  regionId: string;
  /** Industries this agency regulates; empty means all (e.g. an emergency bureau). */
  industries: Industry[];
  emails: string[];
  /** Optional outgoing webhook for a chat robot. */
  webhookUrl?: string;
}
export const agencySchema = new Schema<AgencyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, enum: AGENCY_ROLES, required: true },
    regionId: { type: String, required: true },
    industries: { type: [String], enum: INDUSTRIES, default: [] },
    emails: { type: [String], default: [] },
    webhookUrl: String,
  },
  { collection: 'agencies', versionKey: false },
);
// Recipient resolution: "the <role> of <region>" (escalation ladder).
agencySchema.index({ regionId: 1, role: 1 });

export interface Contact {
  name: string;
  phone?: string;
  email?: string;
  title?: string; // e.g. 安全负责人
}

export interface EnterpriseDoc {
  _id: string;
  name: string;
  uscc: string; // 统一社会信用代码
  regionId: string;
  regionPath: string[]; // copy of the region's path: jurisdiction filters without a join
  industry: Industry;
  dustType?: DustType;
  dustWorkers: number; // 涉粉作业人数
  size: EnterpriseSize;
  inherentRisk: Level; // 固有风险等级
  address?: string;
  contacts: Contact[];
  /** Enterprise HQ (企业总部) mailbox, a recipient on the ladder. */
  hqEmail?: string;
  shouldConnect: boolean; // 应接入
  connected: boolean; // 已接入
  /** Current risk level, maintained by the risk-warning cases. */
  currentLevel?: Level;
  createdAt: Date;
}
export const enterpriseSchema = new Schema<EnterpriseDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    uscc: { type: String, required: true },
    regionId: { type: String, required: true },
    regionPath: { type: [String], required: true },
    industry: { type: String, enum: INDUSTRIES, required: true },
    dustType: { type: String, enum: DUST_TYPES },
    dustWorkers: { type: Number, default: 0, min: 0 },
    size: { type: String, enum: ENTERPRISE_SIZES, required: true },
    inherentRisk: { type: String, enum: LEVELS, required: true },
    address: String,
    contacts: [{ _id: false, name: String, phone: String, email: String, title: String }],
    hqEmail: String,
    shouldConnect: { type: Boolean, default: true },
    connected: { type: Boolean, default: false },
    currentLevel: { type: String, enum: LEVELS },
    createdAt: { type: Date, required: true },
  },
  { collection: 'enterprises', versionKey: false },
);
// One enterprise per credit code.
enterpriseSchema.index({ uscc: 1 }, { unique: true });
// Spot check / jurisdiction: enterprises of a region (path) and industry.
enterpriseSchema.index({ regionPath: 1, industry: 1 });
// Name prefix search in the spot check.
enterpriseSchema.index({ name: 1 });

export const INDICATOR_KINDS = [
  'concentration',
  'temperature',
  'pressure',
  'differential_pressure',
  'current',
  'level',
  'flow',
  'gas',
  'humidity',
  'spark',
  'other',
  /** A fault status 故障 (a status, not a value): reported as `status: 'fault' | 'ok'`, opens a device-fault case. */
  'fault',
] as const;

export interface IndicatorDoc {
  code: string; // unique within the device, e.g. "dp" or "temp1"
  name: string;
  kind: (typeof INDICATOR_KINDS)[number];
  unit: string;
  normalMin?: number;
  normalMax?: number;
  alarmLow?: number;
  alarmHigh?: number;
  alarmLowLow?: number;
  alarmHighHigh?: number;
  rangeMin?: number; // measurement range
  rangeMax?: number;
  /** Expected reporting interval in seconds (seed 002 附件2: at most 300 s, 10 s in alarm). */
  intervalSec: number;
  /** The indicator catalogue entry it was picked from (domain/indicators), and the catalogue's version then. */
  catalogueCode?: string;
  catalogueVersion?: number;
}

export const DEVICE_STATUSES = ['active', 'suspended', 'retired'] as const;

export interface DeviceDoc {
  _id: string; // device code, unique on the platform; what enterprises send as deviceCode
  enterpriseId: string;
  name: string;
  kind: string; // e.g. dust_collector_sensor, gas_detector
  /** Dust-removal system or equipment this device belongs to (除尘系统). */
  system?: string;
  status: (typeof DEVICE_STATUSES)[number];
  indicators: IndicatorDoc[];
  createdAt: Date;
}
const indicatorSchema = new Schema<IndicatorDoc>(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, enum: INDICATOR_KINDS, required: true },
    // A fault status has no unit (stored as '').
    unit: {
      type: String,
      required: function (this: IndicatorDoc) {
        return this.kind !== 'fault';
      },
      default: '',
    },
    normalMin: Number,
    normalMax: Number,
    alarmLow: Number,
    alarmHigh: Number,
    alarmLowLow: Number,
    alarmHighHigh: Number,
    rangeMin: Number,
    rangeMax: Number,
    intervalSec: { type: Number, required: true, min: 1 },
    catalogueCode: String,
    catalogueVersion: Number,
  },
  { _id: false },
);
export const deviceSchema = new Schema<DeviceDoc>(
  {
    _id: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    system: String,
    status: { type: String, enum: DEVICE_STATUSES, default: 'active' },
    indicators: { type: [indicatorSchema], default: [] },
    createdAt: { type: Date, required: true },
  },
  { collection: 'devices', versionKey: false },
);
// An enterprise's devices (one-screen view, portal configuration, offline statistics).
deviceSchema.index({ enterpriseId: 1 });

export interface VideoChannelDoc {
  _id: string;
  enterpriseId: string;
  name: string;
  location?: string;
  intervalSec: number;
  createdAt: Date;
}
export const videoChannelSchema = new Schema<VideoChannelDoc>(
  {
    _id: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    name: { type: String, required: true },
    location: String,
    intervalSec: { type: Number, default: 300 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'video_channels', versionKey: false },
);
// An enterprise's channels.
videoChannelSchema.index({ enterpriseId: 1 });

export const regionModel = modelOn('Region', regionSchema);
export const agencyModel = modelOn('Agency', agencySchema);
export const enterpriseModel = modelOn('Enterprise', enterpriseSchema);
export const deviceModel = modelOn('Device', deviceSchema);
export const videoChannelModel = modelOn('VideoChannel', videoChannelSchema);
