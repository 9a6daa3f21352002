/**
 * Master-data API: regions, agencies, enterprises, devices, users, video channels and data-interface
 * keys. Writes are the administrator's; reads of enterprises and devices follow jurisdiction; an
 * enterprise's own users manage its data keys. The service validates with the schemas declared here.
 */
import { z } from 'zod';
import { dataKeyRequest } from '../access/dataKeys';
import { catalogueOf } from './catalogueForm';
import { operations } from '../api/v1/operations';
import type { Services } from '../composition';
import {
  agencyPayload,
  agencyView,
  dataKeyView,
  devicePayload,
  deviceView,
  enterpriseChanges,
  enterprisePayload,
  enterpriseView,
  indicatorCatalogueView,
  issuedDataKey,
  pageQuery,
  regionPayload,
  regionView,
  userPayload,
  userView,
  videoChannelPayload,
  videoChannelView,
} from './schemas';

export function masterDataApi(s: Services) {
  const api = operations('masterData');
  const md = s.masterData;
  const anyone = ['admin', 'regulator', 'enterprise'] as const;
  const keyHolders = ['admin', 'enterprise'] as const;
  const enterpriseId = { id: 'the enterprise' };

  api.post(
    '/regions',
    {
      summary: 'Create a region; its path is computed from the parent',
      roles: ['admin'],
      body: regionPayload,
      responses: { 201: { description: 'the region', schema: regionView } },
    },
    (req) => md.createRegion(req.principal!, req.body, req.ip),
  );
  api.get(
    '/regions',
    {
      summary: 'List regions (paged by id)',
      roles: [...anyone],
      query: z.object({ parentId: z.string().optional(), ...pageQuery }),
      responses: { 200: { description: 'the regions', schema: z.array(regionView) } },
    },
    (req) => md.listRegions(req.query),
  );
  api.post(
    '/agencies',
    {
      summary: 'Create an agency (named by role, never by person)',
      roles: ['admin'],
      body: agencyPayload,
      responses: { 201: { description: 'the agency', schema: agencyView } },
    },
    (req) => md.createAgency(req.principal!, req.body, req.ip),
  );
  api.get(
    '/agencies',
    {
      summary: 'List agencies',
      roles: ['admin', 'regulator'],
      query: z.object({ regionId: z.string().optional(), role: z.string().optional(), ...pageQuery }),
      responses: { 200: { description: 'the agencies', schema: z.array(agencyView) } },
    },
    (req) => md.listAgencies(req.principal!, req.query),
  );

  api.post(
    '/enterprises',
    {
      summary: 'Create an enterprise (unified social credit code checked, region must exist)',
      roles: ['admin'],
      body: enterprisePayload,
      responses: { 201: { description: 'the enterprise', schema: enterpriseView } },
    },
    (req) => md.createEnterprise(req.principal!, req.body, req.ip),
  );
  api.get(
    '/enterprises',
    {
      summary: 'Enterprises within the caller’s jurisdiction',
      roles: [...anyone],
      query: z.object({ regionId: z.string().optional(), industry: z.string().optional(), ...pageQuery }),
      responses: { 200: { description: 'the enterprises', schema: z.array(enterpriseView) } },
    },
    (req) => md.listEnterprises(req.principal!, req.query),
  );
  api.get(
    '/enterprises/{id}',
    {
      summary: 'One enterprise (403 outside jurisdiction)',
      roles: [...anyone],
      params: enterpriseId,
      responses: { 200: { description: 'the enterprise', schema: enterpriseView } },
    },
    (req) => md.getEnterprise(req.principal!, req.params.id as string),
  );
  api.patch(
    '/enterprises/{id}',
    {
      summary:
        'Change fields of an enterprise: only the fields named change; null clears an optional one (dustType, address, hqEmail)',
      roles: ['admin'],
      params: enterpriseId,
      body: enterpriseChanges,
      responses: { 200: { description: 'the enterprise after the change', schema: enterpriseView } },
    },
    (req) => md.updateEnterprise(req.principal!, req.params.id as string, req.body, req.ip),
  );
  api.post(
    '/enterprises/{id}/video-channels',
    {
      summary: 'Add a video channel of the enterprise',
      roles: ['admin'],
      params: enterpriseId,
      body: videoChannelPayload,
      responses: { 201: { description: 'the channel', schema: videoChannelView } },
    },
    (req) => md.createVideoChannel(req.principal!, req.params.id as string, req.body, req.ip),
  );
  api.post(
    '/enterprises/{id}/data-keys',
    {
      summary: 'Issue a data-interface key; at most 3 active keys per enterprise (409 naming keys)',
      roles: [...keyHolders],
      params: enterpriseId,
      body: dataKeyRequest,
      responses: { 201: { description: 'the key, shown only here', schema: issuedDataKey } },
    },
    (req) => md.issueDataKey(req.principal!, req.params.id as string, req.body, req.ip),
  );
  api.get(
    '/enterprises/{id}/data-keys',
    {
      summary: 'The enterprise’s data-interface keys, without secrets, newest first',
      roles: [...keyHolders],
      params: enterpriseId,
      responses: { 200: { description: 'the keys', schema: z.array(dataKeyView) } },
    },
    (req) => md.listDataKeys(req.principal!, req.params.id as string),
  );
  api.delete(
    '/enterprises/{id}/data-keys/{keyId}',
    {
      summary: 'Revoke a key (it stops working at once)',
      roles: [...keyHolders],
      params: { ...enterpriseId, keyId: 'the key id' },
      responses: { 204: { description: 'revoked' } },
    },
    (req) => md.revokeDataKey(req.principal!, req.params.id as string, req.params.keyId as string, req.ip),
  );

  api.post(
    '/devices',
    {
      summary:
        'Create a device with its monitoring indicators (thresholds must be consistent and inside the measurement range)',
      roles: ['admin'],
      body: devicePayload,
      responses: { 201: { description: 'the device', schema: deviceView } },
    },
    (req) => md.createDevice(req.principal!, req.body, req.ip),
  );
  api.get(
    '/devices',
    {
      summary: 'Devices of an enterprise',
      roles: [...anyone],
      query: z.object({ enterpriseId: z.string(), limit: pageQuery.limit }),
      responses: { 200: { description: 'the devices', schema: z.array(deviceView) } },
    },
    (req) => md.listDevices(req.principal!, req.query),
  );
  api.get(
    '/indicator-catalogues/{industry}',
    {
      summary:
        'The indicator catalogue (监测指标目录) of an industry: the entries a device indicator may be picked from (catalogueCode), each with its source and the draft a pick starts from; empty for an industry without one',
      roles: [...anyone],
      params: {
        industry: 'the industry (dust_explosion, hazardous_chemicals, steel, aluminium_casting have catalogues)',
      },
      responses: { 200: { description: 'the catalogue', schema: indicatorCatalogueView } },
    },
    (req) => catalogueOf(req.params.industry as string),
  );

  api.post(
    '/users',
    {
      summary:
        'Create a user; regulators need agencyId, enterprise users enterpriseId; password ≥ 8 characters, stored as scrypt',
      roles: ['admin'],
      body: userPayload,
      responses: { 201: { description: 'the user', schema: userView } },
    },
    (req) => md.createUser(req.principal!, req.body, req.ip),
  );
  api.get(
    '/users',
    {
      summary: 'List users (no password hashes)',
      roles: ['admin'],
      query: z.object({
        role: z.string().optional(),
        agencyId: z.string().optional(),
        enterpriseId: z.string().optional(),
        ...pageQuery,
      }),
      responses: { 200: { description: 'the users', schema: z.array(userView) } },
    },
    (req) => md.listUsers(req.query),
  );
  api.delete(
    '/users/{username}',
    {
      summary: 'Deactivate a user (kept for the audit trail; their sessions and tokens end)',
      roles: ['admin'],
      params: { username: 'the user' },
      responses: { 204: { description: 'deactivated' } },
    },
    (req) => md.deactivateUser(req.principal!, req.params.username as string, req.ip),
  );
  return api.router;
}
