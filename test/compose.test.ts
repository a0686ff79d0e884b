import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.ts';

/**
 * docker-compose.yml as Debian's docker-compose reads it: `config` validates and resolves the
 * file offline (no Docker engine runs here; nothing is started or pulled).
 */
describe('docker-compose.yml', () => {
  const root = tempDir();
  const compose = (envFile: string, ...args: string[]) =>
    spawnSync('docker-compose', ['--env-file', envFile, '-f', 'docker-compose.yml', 'config', ...args], {
      // Only the env file may supply settings, not whatever this shell has.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root },
      encoding: 'utf8',
    });

  it('passes docker-compose config -q with the committed .env.example', () => {
    const r = compose('.env.example', '-q');
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses to start without the secrets from .env', () => {
    const empty = path.join(root, 'empty.env');
    fs.writeFileSync(empty, '');
    const r = compose(empty, '-q');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/S3_ACCESS_KEY|S3_SECRET_KEY|MEILI_MASTER_KEY|POSTGRES_PASSWORD/);
  });

  it('publishes only the web port, pins every image and health-checks every service', () => {
    const r = compose('.env.example');
    expect(r.status).toBe(0);
    const out = r.stdout;
    const services = out.slice(out.indexOf('services:\n'), out.search(/^volumes:/m));
    const blocks = new Map<string, string>();
    for (const m of services.matchAll(/^ {2}([\w-]+):\n((?: {4}.*\n| *- .*\n|\s*\n)*)/gm)) {
      blocks.set(m[1] ?? '', m[2] ?? '');
    }
    expect([...blocks.keys()].sort()).toEqual(['meilisearch', 'postgres', 'seaweedfs', 'web', 'worker']);
    for (const [name, block] of blocks) {
      expect(block, name).toMatch(/^ {4}healthcheck:/m);
      expect(block, name).toMatch(/^ {4}restart: unless-stopped/m);
      const image = block.match(/^ {4}image: (\S+)/m)?.[1] ?? '';
      expect(image, name).toMatch(/^[\w./-]+:(v?\d+[\w.-]*)$/);
      expect(block.includes('    ports:'), name).toBe(name === 'web');
    }
    expect(blocks.get('web')).toMatch(/published: 8080|8080:3000/);
    expect(blocks.get('worker')).toMatch(/- worker/);
    // Workers share nothing on disk: the register is PostgreSQL, the files are in S3.
    expect(blocks.get('worker')).not.toMatch(/pindai-data/);
    expect(blocks.get('worker')).toMatch(/PINDAI_REGISTER_URL: postgres:\/\/pindai:.*@postgres:5432\/pindai/);
    expect(blocks.get('postgres')).toMatch(/--locale=C/);
    expect(out).toMatch(
      /^volumes:\n {2}meili-data: \{\}\n {2}pindai-data: \{\}\n {2}postgres-data: \{\}\n {2}seaweedfs-data: \{\}/m,
    );
    // No MinIO image: its Community Edition is no longer published.
    expect(out).not.toMatch(/image: .*minio/i);
  });
});
