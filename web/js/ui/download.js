// Offers a Blob as a download named `name`, through a temporary Blob link: this works from file:// and
// from http alike, and needs no server. The URL is revoked a minute later (a click starts the download
// asynchronously, so revoking at once could cancel it).
export function offerDownload(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
