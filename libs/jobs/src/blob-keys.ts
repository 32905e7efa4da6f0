/** Where each kind of job file lives in the BlobStore; one place, so deletion cannot miss one. */
export const uploadKey = (uuid: string): string => `uploads/${uuid}`;
/** The original document, kept after processing while the job is kept, for exports that embed it. */
export const sourceKey = (uuid: string): string => `sources/${uuid}`;
export const pageContentKey = (uuid: string, index: number): string => `results/${uuid}/page-${index}.json`;
/** The processed page image the web app shows under the boxes, made on first request. */
export const pageImageKey = (uuid: string, index: number): string => `images/${uuid}/page-${index}.webp`;
export const exportKey = (uuid: string, name: string): string => `exports/${uuid}/${name}`;
export const jobBlobPrefixes = (uuid: string): string[] => [`uploads/${uuid}`, `sources/${uuid}`, `results/${uuid}`, `exports/${uuid}`, `images/${uuid}`];
