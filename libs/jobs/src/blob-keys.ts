/** Where each kind of job file lives in the BlobStore; one place, so deletion cannot miss one. */
export const uploadKey = (uuid: string): string => `uploads/${uuid}`;
export const pageContentKey = (uuid: string, index: number): string => `results/${uuid}/page-${index}.json`;
export const exportKey = (uuid: string, name: string): string => `exports/${uuid}/${name}`;
export const jobBlobPrefixes = (uuid: string): string[] => [`uploads/${uuid}`, `results/${uuid}`, `exports/${uuid}`];
