import { access } from 'node:fs/promises';

/** Whether anything exists at `path` (file, folder or link target we may see). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
