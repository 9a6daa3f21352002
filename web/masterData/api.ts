/**
 * Master-data API: /regions, /agencies, /enterprises, /devices, /users, video channels and
 * data-interface keys. Writes are the administrator's; reads of enterprises and devices follow
 * jurisdiction; an enterprise's own users manage its data keys.
 */
import { Router } from 'express';
import { requireRole } from '../access/auth';
import type { Services } from '../composition';

export function masterDataApi(s: Services): Router {
  const r = Router();
  const md = s.masterData;
  const admin = requireRole('admin');
  const anyone = requireRole('admin', 'regulator', 'enterprise');
  const keyHolders = requireRole('admin', 'enterprise');

  r.post('/regions', admin, async (req, res) => void res.status(201).json(await md.createRegion(req.principal!, req.body, req.ip)));
  r.get('/regions', anyone, async (req, res) => void res.json(await md.listRegions(req.query)));
  r.post('/agencies', admin, async (req, res) => void res.status(201).json(await md.createAgency(req.principal!, req.body, req.ip)));
  r.get('/agencies', requireRole('admin', 'regulator'), async (req, res) => void res.json(await md.listAgencies(req.principal!, req.query)));

  r.post('/enterprises', admin, async (req, res) => void res.status(201).json(await md.createEnterprise(req.principal!, req.body, req.ip)));
  r.get('/enterprises', anyone, async (req, res) => void res.json(await md.listEnterprises(req.principal!, req.query)));
  r.get('/enterprises/:id', anyone, async (req, res) => void res.json(await md.getEnterprise(req.principal!, req.params.id as string)));
  r.patch('/enterprises/:id', admin, async (req, res) => void res.json(await md.updateEnterprise(req.principal!, req.params.id as string, req.body, req.ip)));
  r.post('/enterprises/:id/video-channels', admin, async (req, res) =>
    void res.status(201).json(await md.createVideoChannel(req.principal!, req.params.id as string, req.body, req.ip)),
  );
  r.post('/enterprises/:id/data-keys', keyHolders, async (req, res) => void res.status(201).json(await md.issueDataKey(req.principal!, req.params.id as string, req.body, req.ip)));
  r.get('/enterprises/:id/data-keys', keyHolders, async (req, res) => void res.json(await md.listDataKeys(req.principal!, req.params.id as string)));
  r.delete('/enterprises/:id/data-keys/:keyId', keyHolders, async (req, res) => {
    await md.revokeDataKey(req.principal!, req.params.id as string, req.params.keyId as string, req.ip);
    res.status(204).end();
  });

  r.post('/devices', admin, async (req, res) => void res.status(201).json(await md.createDevice(req.principal!, req.body, req.ip)));
  r.get('/devices', anyone, async (req, res) => void res.json(await md.listDevices(req.principal!, req.query)));

  r.post('/users', admin, async (req, res) => void res.status(201).json(await md.createUser(req.principal!, req.body, req.ip)));
  r.get('/users', admin, async (req, res) => void res.json(await md.listUsers(req.query)));
  r.delete('/users/:username', admin, async (req, res) => {
    await md.deactivateUser(req.principal!, req.params.username as string, req.ip);
    res.status(204).end();
  });
  return r;
}
