/**
 * Escapes text for use in HTML text and attribute values: the five special characters as named
 * references. The one copy for the explorer's page and Node code and for `attograd`'s HTML reports.
 *
 * @example
 * escapeHtml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
