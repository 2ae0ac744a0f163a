/**
 * What a DLP scan reads from a message: {@link dev.tollgate.core.dlp.content.MessageContentExtractor}
 * turns a MIME message into {@link dev.tollgate.core.dlp.content.ContentSegment}s plus the parts it
 * could not examine ({@link dev.tollgate.core.dlp.content.Unscannable}, never "clean").
 */
package dev.tollgate.core.dlp.content;
