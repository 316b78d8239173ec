/**
 * Hands a file the app made to the browser's download, e.g. a backup or a calendar file.
 * @param file the contents
 * @param name the file name the patient sees
 */
export function saveFile(file: Blob, name: string): void {
	const url = URL.createObjectURL(file);
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	document.body.append(link);
	link.click();
	link.remove();
	// Revoked later, not at once: some browsers read the file after click() returns.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
