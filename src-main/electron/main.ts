import { app, BrowserWindow, ipcMain, net, protocol, session, utilityProcess, type UtilityProcess } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTrustedSender } from './sender-check';

/**
 * The thin Electron shell: one sandboxed window, the renderer served from app://, and every call
 * relayed (after sender checks) to the backend in a utility process. No business logic here.
 */
const APP_ORIGIN = 'app://vanthu';
const here = __dirname;
const rendererDir = join(here, '../renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let backend: UtilityProcess;
const pending = new Map<number, (reply: unknown) => void>();
let nextId = 1;

function startBackend(win: () => BrowserWindow | null): void {
  backend = utilityProcess.fork(join(here, 'backend.cjs'), [], { serviceName: 'vanthu-backend' });
  backend.on('message', (msg: { kind: string; id?: number; reply?: unknown; event?: string; payload?: unknown }) => {
    if (msg.kind === 'reply' && msg.id !== undefined) {
      pending.get(msg.id)?.(msg.reply);
      pending.delete(msg.id);
    } else if (msg.kind === 'event') {
      win()?.webContents.send('vanthu:event', msg.event, msg.payload);
    }
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Văn thư điện tử',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: !app.isPackaged,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  protocol.handle('app', (req) => {
    const rel = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, '') || 'index.html';
    const full = normalize(join(rendererDir, rel));
    if (!full.startsWith(rendererDir + sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(full).toString());
  });
  let win: BrowserWindow | null = createWindow();
  win.on('closed', () => (win = null));
  startBackend(() => win);

  ipcMain.handle('vanthu:invoke', (event, method: unknown, input: unknown) => {
    if (!isTrustedSender({ frameUrl: event.senderFrame?.url ?? '', isMainFrame: event.senderFrame === event.sender.mainFrame, appOrigin: APP_ORIGIN }) || typeof method !== 'string') {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Yêu cầu không được phép.' } };
    }
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      backend.postMessage({ kind: 'invoke', id, method, input });
    });
  });
});

app.on('window-all-closed', () => {
  backend?.kill();
  app.quit();
});
