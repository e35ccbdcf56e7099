import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

// Exposes exactly two functions: one invoke channel and one event channel. No raw ipcRenderer,
// no Node, no process.env reach the page.
contextBridge.exposeInMainWorld('vanthu', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke('vanthu:invoke', method, input),
  on: (listener: (event: string, payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on('vanthu:event', handler);
    return () => ipcRenderer.removeListener('vanthu:event', handler);
  },
});
