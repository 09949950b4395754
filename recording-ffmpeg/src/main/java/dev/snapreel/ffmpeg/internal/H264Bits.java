package dev.snapreel.ffmpeg.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few H.264 bitstream primitives the skip-picture path needs (ITU-T H.264 clauses 7.2, 7.3, 7.4.1,
 * B.1): Annex B NAL unit splitting, emulation prevention, and an MSB-first bit reader and writer with
 * Exp-Golomb codes.
 */
final class H264Bits {
  private H264Bits() {}

  /** NAL units of an Annex B byte stream, start codes and trailing zero bytes removed (still escaped). */
  static List<byte[]> splitAnnexB(byte[] stream) {
    List<byte[]> units = new ArrayList<>();
    int start = nextPayload(stream, 0);
    while (start >= 0) {
      int codeAt = startCode(stream, start);
      int end = codeAt < 0 ? stream.length : codeAt;
      while (end > start && stream[end - 1] == 0) {
        end--; // trailing_zero_8bits and the leading zero of a 4-byte start code
      }
      if (end > start) {
        units.add(Arrays.copyOfRange(stream, start, end));
      }
      start = codeAt < 0 ? -1 : codeAt + 3;
    }
    return units;
  }

  private static int nextPayload(byte[] s, int from) {
    int at = startCode(s, from);
    return at < 0 ? -1 : at + 3;
  }

  /** Index of the next {@code 00 00 01} at or after {@code from}, or -1. */
  private static int startCode(byte[] s, int from) {
    for (int i = from; i + 2 < s.length; i++) {
      if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
        return i;
      }
    }
    return -1;
  }

  /** Annex B stream of {@code units}, each behind a 4-byte start code. */
  static byte[] joinAnnexB(List<byte[]> units) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] unit : units) {
      out.write(0);
      out.write(0);
      out.write(0);
      out.write(1);
      out.writeBytes(unit);
    }
    return out.toByteArray();
  }

  /** Removes emulation prevention bytes: NAL unit payload to RBSP. */
  static byte[] unescape(byte[] nal) {
    byte[] out = new byte[nal.length];
    int n = 0;
    int zeros = 0;
    for (byte b : nal) {
      if (zeros >= 2 && b == 3) {
        zeros = 0;
        continue;
      }
      out[n++] = b;
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return Arrays.copyOf(out, n);
  }

  /** Inserts emulation prevention bytes: RBSP to NAL unit payload. */
  static byte[] escape(byte[] rbsp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + 16);
    int zeros = 0;
    for (byte b : rbsp) {
      if (zeros >= 2 && (b & 0xFF) <= 3) {
        out.write(3);
        zeros = 0;
      }
      out.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return out.toByteArray();
  }

  /** Reads an RBSP MSB first. */
  static final class Reader {
    private final byte[] data;
    private int bit;

    Reader(byte[] rbsp) {
      this.data = rbsp;
    }

    int position() {
      return bit;
    }

    int u(int bits) {
      int v = 0;
      for (int i = 0; i < bits; i++) {
        v = (v << 1) | u1();
      }
      return v;
    }

    int u1() {
      if (bit >= data.length * 8) {
        throw new IllegalArgumentException(
            "H.264 syntax element runs past the end of the NAL unit");
      }
      int v = (data[bit >> 3] >> (7 - (bit & 7))) & 1;
      bit++;
      return v;
    }

    int ue() {
      int zeros = 0;
      while (u1() == 0) {
        if (++zeros > 31) {
          throw new IllegalArgumentException("invalid Exp-Golomb code");
        }
      }
      return (int) ((1L << zeros) - 1 + u(zeros));
    }

    int se() {
      int k = ue();
      return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    void skip(int bits) {
      bit += bits;
    }
  }

  /** Writes an RBSP MSB first. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(16);
    private int current;
    private int used;

    Writer u(int bits, long value) {
      for (int i = bits - 1; i >= 0; i--) {
        u1((int) (value >>> i) & 1);
      }
      return this;
    }

    Writer u1(int value) {
      current = (current << 1) | (value & 1);
      if (++used == 8) {
        out.write(current);
        current = 0;
        used = 0;
      }
      return this;
    }

    Writer ue(long value) {
      long v = value + 1;
      int bits = 64 - Long.numberOfLeadingZeros(v);
      u(bits - 1, 0);
      return u(bits, v);
    }

    Writer se(int value) {
      return ue(value > 0 ? 2L * value - 1 : -2L * value);
    }

    boolean byteAligned() {
      return used == 0;
    }

    /** Zero bits to the byte boundary (after a CABAC flush, which wrote the stop bit), the bytes. */
    byte[] alignedWithZeros() {
      while (used != 0) {
        u1(0);
      }
      return out.toByteArray();
    }

    /** Whole bytes, written at a byte boundary. */
    Writer bytes(byte[] bytes) {
      if (used != 0) {
        throw new IllegalStateException("not at a byte boundary");
      }
      out.writeBytes(bytes);
      return this;
    }

    /** rbsp_trailing_bits(): a one bit, then zeros to the byte boundary. */
    byte[] trailingBits() {
      return u1(1).alignedWithZeros();
    }
  }

  /** Overwrites {@code bits} bits at bit offset {@code at} of {@code rbsp} with {@code value}. */
  static void put(byte[] rbsp, int at, int bits, long value) {
    for (int i = 0; i < bits; i++) {
      int pos = at + i;
      int mask = 1 << (7 - (pos & 7));
      if (((value >>> (bits - 1 - i)) & 1) != 0) {
        rbsp[pos >> 3] |= (byte) mask;
      } else {
        rbsp[pos >> 3] &= (byte) ~mask;
      }
    }
  }
}
