import { ConfigError, loadConfig } from '../../config';

describe('configuration from the environment', () => {
  it('has loopback defaults for every service', () => {
    const c = loadConfig({});
    expect(c.temporalAddress).toBe('127.0.0.1:7233');
    expect(c.mongodbUri).toBe('mongodb://127.0.0.1:27027/warnflow');
    expect(c.smtpUrl).toBe('smtp://127.0.0.1:2525');
    expect(c.webPort).toBe(3000);
  });

  it('lets the environment name external services', () => {
    const c = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      MONGODB_URI: 'mongodb://mongo:27017/wf?replicaSet=rs0',
      SMTP_URL: 'smtp://mailpit:1025',
    });
    expect(c.temporalAddress).toBe('temporal:7233');
    expect(c.mongodbUri).toContain('replicaSet=rs0');
    expect(c.smtpUrl).toBe('smtp://mailpit:1025');
  });

  it('names every bad value at once', () => {
    let err: unknown;
    try {
      loadConfig({
        TEMPORAL_ADDRESS: 'nohostport',
        MONGODB_URI: 'postgres://x',
        SMTP_URL: 'not a url',
        PORT: '99999',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toContain('TEMPORAL_ADDRESS="nohostport" must be host:port');
    expect(problems).toContain('MONGODB_URI="postgres://x" must use mongodb or mongodb+srv://');
    expect(problems).toContain('SMTP_URL="not a url" is not a URL');
    expect(problems).toContain('PORT="99999" must be a port number');
    expect(problems).toContain('LOG_LEVEL="loud"');
    expect((err as ConfigError).problems).toHaveLength(5);
  });

  it('the municipal real-time feed (002 第二十三条) is off unless both its endpoint and its signing secret are given', () => {
    expect(loadConfig({}).municipalFeed).toBeUndefined();
    expect(
      loadConfig({
        MUNICIPAL_FEED_URL: 'https://city.example/api/feed',
        MUNICIPAL_FEED_SECRET: 'shared-secret-0123456789',
      }).municipalFeed,
    ).toEqual({ url: 'https://city.example/api/feed', secret: 'shared-secret-0123456789' });
    let err: unknown;
    try {
      loadConfig({ MUNICIPAL_FEED_URL: 'ftp://city.example', MUNICIPAL_FEED_SECRET: 'short' });
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).problems).toEqual([
      'MUNICIPAL_FEED_URL="ftp://city.example" must be an http(s) URL',
      'MUNICIPAL_FEED_SECRET must be at least 16 characters (the key both systems sign with)',
    ]);
  });
});
