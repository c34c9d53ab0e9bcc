package dev.conduit.api.openai.audio;

/**
 * The length of an uploaded audio file in seconds, read from its header when that is cheap: WAV
 * (the {@code fmt } chunk's byte rate and the {@code data} chunk's size) and MP3 (a Xing/Info or
 * VBRI frame count, else the first frame's bit rate over the file's size, exact for constant bit
 * rate files). Other formats (m4a, ogg, webm, flac) are not read: {@link #estimateSeconds} gives an
 * upper bound from the file's size instead. Reads only headers; never decodes audio.
 */
public final class AudioDuration {
  /**
   * The lowest bit rate assumed for an unread format, in bytes per second (16 kbit/s, below any
   * common speech codec setting), so that size / rate is an upper bound on the length.
   */
  static final int LOWEST_BYTES_PER_SECOND = 2_000;

  private static final int[] MPEG1_LAYER3_KBPS = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] MPEG2_LAYER3_KBPS = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160
  };
  private static final int[][] SAMPLE_RATES = {
    {11_025, 12_000, 8_000}, // MPEG 2.5
    null,
    {22_050, 24_000, 16_000}, // MPEG 2
    {44_100, 48_000, 32_000} // MPEG 1
  };

  private AudioDuration() {}

  /**
   * Seconds of audio in {@code bytes[offset, offset + length)}, or null when the header cannot be
   * read (an unsupported format, a damaged header).
   */
  public static Double seconds(byte[] bytes, int offset, int length) {
    try {
      if (length >= 12
          && ascii(bytes, offset, 4).equals("RIFF")
          && ascii(bytes, offset + 8, 4).equals("WAVE")) {
        return wav(bytes, offset, length);
      }
      return mp3(bytes, offset, length);
    } catch (ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /** An upper bound on the length of a file of {@code length} bytes whose header was not read. */
  public static double estimateSeconds(long length) {
    return Math.ceil((double) length / LOWEST_BYTES_PER_SECOND);
  }

  private static Double wav(byte[] b, int offset, int length) {
    int end = offset + length;
    int at = offset + 12;
    long byteRate = -1;
    while (at + 8 <= end) {
      String id = ascii(b, at, 4);
      long size = le32(b, at + 4);
      int data = at + 8;
      if (id.equals("fmt ")) {
        byteRate = le32(b, data + 8);
      } else if (id.equals("data")) {
        if (byteRate <= 0) {
          return null;
        }
        long available = end - data;
        long bytes = size == 0 || size == 0xFFFFFFFFL || size > available ? available : size;
        return (double) bytes / byteRate;
      }
      at = (int) Math.min(end, data + size + (size & 1)); // chunks are padded to even sizes
    }
    return null;
  }

  private static Double mp3(byte[] b, int offset, int length) {
    int end = offset + length;
    int at = offset;
    if (length >= 10 && ascii(b, at, 3).equals("ID3")) {
      int tagSize =
          ((b[at + 6] & 0x7F) << 21)
              | ((b[at + 7] & 0x7F) << 14)
              | ((b[at + 8] & 0x7F) << 7)
              | (b[at + 9] & 0x7F);
      boolean footer = (b[at + 5] & 0x10) != 0;
      at += 10 + tagSize + (footer ? 10 : 0);
    }
    // The first frame starts at once (possibly after a little padding).
    int limit = Math.min(end - 4, at + 4096);
    while (at < limit && !((b[at] & 0xFF) == 0xFF && (b[at + 1] & 0xE0) == 0xE0)) {
      at++;
    }
    if (at >= limit) {
      return null;
    }
    int version = (b[at + 1] >> 3) & 0x3; // 0: 2.5, 2: 2, 3: 1
    int layer = (b[at + 1] >> 1) & 0x3; // 1: layer III
    int bitrateIndex = (b[at + 2] >> 4) & 0xF;
    int rateIndex = (b[at + 2] >> 2) & 0x3;
    int channelMode = (b[at + 3] >> 6) & 0x3;
    if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return null;
    }
    boolean mpeg1 = version == 3;
    int sampleRate = SAMPLE_RATES[version][rateIndex];
    int samplesPerFrame = mpeg1 ? 1152 : 576;
    int sideInfo = mpeg1 ? (channelMode == 3 ? 17 : 32) : (channelMode == 3 ? 9 : 17);
    int xing = at + 4 + sideInfo;
    if (xing + 12 <= end
        && (ascii(b, xing, 4).equals("Xing") || ascii(b, xing, 4).equals("Info"))
        && (be32(b, xing + 4) & 1) != 0) {
      return (double) be32(b, xing + 8) * samplesPerFrame / sampleRate;
    }
    int vbri = at + 4 + 32;
    if (vbri + 18 <= end && ascii(b, vbri, 4).equals("VBRI")) {
      return (double) be32(b, vbri + 14) * samplesPerFrame / sampleRate;
    }
    int kbps = (mpeg1 ? MPEG1_LAYER3_KBPS : MPEG2_LAYER3_KBPS)[bitrateIndex];
    return (end - at) * 8.0 / (kbps * 1000.0);
  }

  private static String ascii(byte[] b, int at, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = (char) (b[at + i] & 0xFF);
    }
    return new String(chars);
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xFFL)
        | (b[at + 1] & 0xFFL) << 8
        | (b[at + 2] & 0xFFL) << 16
        | (b[at + 3] & 0xFFL) << 24;
  }

  private static long be32(byte[] b, int at) {
    return (b[at] & 0xFFL) << 24
        | (b[at + 1] & 0xFFL) << 16
        | (b[at + 2] & 0xFFL) << 8
        | (b[at + 3] & 0xFFL);
  }
}
