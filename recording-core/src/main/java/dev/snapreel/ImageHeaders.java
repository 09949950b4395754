package dev.snapreel;

/** Reads the image size from JPEG/PNG headers without decoding, so malformed input fails early. */
final class ImageHeaders {
  private ImageHeaders() {}

  static boolean isJpeg(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
  }

  static boolean isPng(byte[] b) {
    return b.length >= 8
        && (b[0] & 0xFF) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G'
        && b[4] == 0x0D
        && b[5] == 0x0A
        && b[6] == 0x1A
        && b[7] == 0x0A;
  }

  /**
   * Walks the JPEG's marker structure end to end in one pass and returns {width, height} from its
   * frame header: every segment fits, a frame header precedes the image data, entropy-coded data
   * holds only stuffed {@code FF00} and restart markers, and the image ends with EOI. Random
   * corruption of the body and truncation both break this, while FFmpeg's decoder would conceal them
   * silently.
   *
   * <p>Returns {width, height} of the first frame header followed by {width, height} of the largest
   * one: a JPEG may hold several frame headers (hierarchical mode, or a crafted file), and a decoder
   * allocates for each of them, so a pixel limit must hold for every one, not only the first.
   */
  static int[] checkJpeg(byte[] b) {
    int[] size = null;
    long largest = 0;
    boolean scanned = false;
    int i = 2;
    while (i + 1 < b.length) {
      if ((b[i] & 0xFF) != 0xFF) {
        throw new InvalidFrameException("corrupt JPEG: expected a marker at byte " + i);
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte
        i++;
        continue;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // standalone markers
        i += 2;
        continue;
      }
      if ((marker == 0xD9 || marker == 0xDA) && size == null) {
        throw new InvalidFrameException("corrupt JPEG: no frame header before the image data");
      }
      if (marker == 0xD9) {
        if (!scanned || size == null) {
          throw new InvalidFrameException("corrupt JPEG: image ends before any scan");
        }
        return size; // EOI: trailing bytes after it are ignored, as decoders do
      }
      if (marker < 0xC0 || marker == 0xD8) {
        throw new InvalidFrameException(
            String.format("corrupt JPEG: invalid marker FF%02X at byte %d", marker, i));
      }
      if (i + 3 >= b.length) {
        break;
      }
      int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
      if (length < 2) {
        throw new InvalidFrameException("corrupt JPEG: segment length " + length + " at byte " + i);
      }
      if (i + 2 + length > b.length) {
        throw new InvalidFrameException(
            "truncated JPEG: segment at byte " + i + " runs past the end");
      }
      boolean startOfFrame =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (startOfFrame && length >= 7) {
        int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
        int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
        if (width == 0 || height == 0) {
          throw new InvalidFrameException("corrupt JPEG: frame size " + width + "x" + height);
        }
        if (size == null) {
          size = new int[] {width, height, width, height};
          largest = (long) width * height;
        } else if ((long) width * height > largest) {
          largest = (long) width * height;
          size[2] = width;
          size[3] = height;
        }
      }
      i += 2 + length;
      if (marker == 0xDA) { // start of scan: skip the entropy-coded data up to the next real marker
        scanned = true;
        while (i + 1 < b.length) {
          if ((b[i] & 0xFF) != 0xFF) {
            i++;
            continue;
          }
          int next = b[i + 1] & 0xFF;
          if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
            i += next == 0xFF ? 1 : 2;
            continue;
          }
          break;
        }
      }
    }
    if (size == null) {
      throw new InvalidFrameException("truncated JPEG: no frame header in " + b.length + " bytes");
    }
    throw new InvalidFrameException(
        "truncated JPEG: no end-of-image marker in " + b.length + " bytes");
  }

  /** A PNG must end with its IEND chunk; anything else was cut off. */
  static void checkPngEnd(byte[] b) {
    int n = b.length;
    boolean iend =
        n >= 12 && b[n - 8] == 'I' && b[n - 7] == 'E' && b[n - 6] == 'N' && b[n - 5] == 'D';
    if (!iend) {
      throw new InvalidFrameException("truncated PNG: no IEND chunk at the end of " + n + " bytes");
    }
  }

  static int[] pngSize(byte[] b) {
    if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw new InvalidFrameException("truncated PNG: no IHDR header in " + b.length + " bytes");
    }
    int width = readInt(b, 16);
    int height = readInt(b, 20);
    if (width <= 0 || height <= 0) {
      throw new InvalidFrameException("corrupt PNG: frame size " + width + "x" + height);
    }
    return new int[] {width, height};
  }

  static String hexPrefix(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, b.length); i++) {
      sb.append(String.format("%02x", b[i] & 0xFF));
    }
    return sb.toString();
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }
}
