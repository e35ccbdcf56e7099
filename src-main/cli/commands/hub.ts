import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaultDataDir, repoRoot } from '../../core/config';
import { writeSecret } from '../../core/exchange/secrets';
import { loadFaultFile } from '../../hub/faults';
import { seedDemoProvince } from '../../hub/demo';
import { startHub } from '../../hub/server';
import { EXIT, flagString, parseArgs, type CliCommand } from '../io';

const USAGE = `vanthu hub — trục liên thông tham chiếu (thử nghiệm, trình diễn)

  hub [--port N] [--data DIR] [--tls-cert F --tls-key F] [--client-ca F] [--faults FILE]
  Mặc định: thư mục dữ liệu <dữ liệu người dùng>/vanthu-hub, chứng thư TLS thử nghiệm (.tmp/pki) nếu có.
  Lần chạy đầu tạo một tỉnh trình diễn (3 cơ quan) và cấu hình sẵn cho từng máy văn thư.`;

/** The provisioned test TLS certificates, when this is a development checkout. */
function testTls(): { cert: string; key: string; ca: string } | null {
  const pki = join(repoRoot, '.tmp/pki');
  const cert = join(pki, 'certs/tls-server.crt');
  return existsSync(cert) ? { cert, key: join(pki, 'keys/tls-server.key'), ca: join(pki, 'certs/tls-ca.crt') } : null;
}

const hub: CliCommand = async (args, io) => {
  const { flags, positionals } = parseArgs(args);
  if (positionals.length > 0 || flags.has('help')) {
    io.err(USAGE);
    return positionals.length ? EXIT.USAGE : EXIT.OK;
  }
  const fallback = testTls();
  const cert = flagString(flags, 'tls-cert') ?? fallback?.cert;
  const key = flagString(flags, 'tls-key') ?? fallback?.key;
  if (!cert || !key) {
    io.err('Cần --tls-cert và --tls-key (trục chỉ chạy HTTPS).');
    return EXIT.USAGE;
  }
  const dataDir = resolve(flagString(flags, 'data') ?? join(defaultDataDir(io.env), '..', 'vanthu-hub'));
  const faultsFile = flagString(flags, 'faults');
  const adminToken = randomBytes(24).toString('hex');
  const h = await startHub({
    dataDir,
    port: flagString(flags, 'port') ? Number(flagString(flags, 'port')) : 0,
    tlsCert: resolve(cert),
    tlsKey: resolve(key),
    clientCa: flagString(flags, 'client-ca') ? resolve(flagString(flags, 'client-ca')!) : undefined,
    faults: faultsFile ? loadFaultFile(resolve(faultsFile)) : undefined,
    adminToken,
  });
  io.out(`Trục liên thông tham chiếu: ${h.url}  (dữ liệu: ${dataDir})`);
  if (h.store.agencies().length === 0) {
    const ca = flagString(flags, 'tls-ca') ?? (flagString(flags, 'tls-cert') ? undefined : fallback?.ca);
    for (const dir of seedDemoProvince(h.store, dataDir, h.url, ca ? resolve(ca) : undefined)) io.out(`  máy văn thư trình diễn: VANTHU_DATA_DIR=${dir}`);
  }
  // The test hub's token stays a file (no keychain): the line below tells the tester where to read it.
  writeSecret(dataDir, 'admin-token', Buffer.from(adminToken), null);
  io.out(`Bật/tắt lỗi giả lập: POST ${h.url}/_admin/faults với tiêu đề x-hub-admin (khóa trong ${join(dataDir, 'secrets', 'admin-token')})`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await h.close();
  return EXIT.OK;
};
export default hub;
