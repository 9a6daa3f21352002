/**
 * Uploads on the real stack: a cleaning check-in photo is accepted by its content (JPEG magic bytes),
 * a text file named .jpg is refused with 400 and nothing stored, the form needs its CSRF token, and the
 * photo is served to the enterprise and its regulator but not to another enterprise (403).
 */
import { startStack, Stack } from '../helpers/stack';
import { PageClient, seedWorld } from '../e2e/world';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
}, 120_000);
afterAll(async () => stack?.stop());

const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
]);

async function postCheckIn(
  c: PageClient,
  file: { name: string; data: Buffer; type: string },
  csrf: string | null = c.csrf,
) {
  const form = new FormData();
  if (csrf !== null) form.set('_csrf', csrf);
  form.set('item', '除尘器灰斗');
  form.set('person', '李四');
  form.set('at', new Date(Date.now() - 60_000).toISOString());
  form.set('photo', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  // The page's form carries the token in its action too (a multipart body is not parsed before the CSRF check).
  const res = await fetch(
    `${stack.baseUrl}/portal/cleaning${csrf !== null ? `?_csrf=${encodeURIComponent(csrf)}` : ''}`,
    {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'text/html' },
    },
  );
  return { status: res.status, html: await res.text() };
}

test('a photo is checked by its content, stored, and served only within jurisdiction', async () => {
  const ent = new PageClient(stack.baseUrl);
  await ent.login('ent-a-user');
  await ent.get('/portal/cleaning');

  const fake = await postCheckIn(ent, {
    name: 'photo.jpg',
    data: Buffer.from('just text, not an image'),
    type: 'image/jpeg',
  });
  expect(fake.status).toBe(400);
  expect(fake.html).toContain('photo');
  expect(await stack.models.CleaningCheckIn.countDocuments({})).toBe(0);

  expect((await postCheckIn(ent, { name: 'photo.jpg', data: JPEG, type: 'image/jpeg' }, null)).status).toBe(403);
  expect(await stack.models.CleaningCheckIn.countDocuments({})).toBe(0);

  expect((await postCheckIn(ent, { name: 'photo.jpg', data: JPEG, type: 'image/jpeg' })).status).toBe(303);
  const checkIn = await stack.models.CleaningCheckIn.findOne({ enterpriseId: 'ent-a' }).lean();
  expect(checkIn?.photoId).toMatch(/^[0-9a-f]{32}$/);

  const own = await fetch(`${stack.baseUrl}/uploads/${checkIn!.photoId}`, {
    headers: { cookie: [...ent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  expect(own.status).toBe(200);
  expect(own.headers.get('content-type')).toBe('image/jpeg');
  expect(Buffer.from(await own.arrayBuffer()).equals(JPEG)).toBe(true);

  const reg = new PageClient(stack.baseUrl);
  await reg.login('reg-east');
  expect((await reg.get(`/uploads/${checkIn!.photoId}`)).status).toBe(200);
  const other = new PageClient(stack.baseUrl);
  await other.login('ent-b-user');
  expect((await other.get(`/uploads/${checkIn!.photoId}`)).status).toBe(403);
  const west = new PageClient(stack.baseUrl);
  await west.login('reg-west');
  expect((await west.get(`/uploads/${checkIn!.photoId}`)).status).toBe(403);
});
