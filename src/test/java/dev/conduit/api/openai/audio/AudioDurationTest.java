package dev.conduit.api.openai.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading an upload's length from its WAV or MP3 header, and the bound for other formats. */
class AudioDurationTest {
  @Test
  void aWavFilesLengthIsItsDataOverItsByteRate() {
    byte[] wav = AudioApiTest.wav(2.5);
    assertThat(AudioDuration.seconds(wav, 0, wav.length)).isEqualTo(2.5);
  }

  @Test
  void aWavFileInsideALargerBufferIsReadAtItsOffset() {
    byte[] wav = AudioApiTest.wav(1.0);
    byte[] body = new byte[wav.length + 20];
    System.arraycopy(wav, 0, body, 10, wav.length);
    assertThat(AudioDuration.seconds(body, 10, wav.length)).isEqualTo(1.0);
  }

  @Test
  void aConstantBitRateMp3IsItsSizeOverItsBitRate() {
    // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo: 16,000 bytes a second.
    byte[] mp3 = new byte[48_000];
    mp3[0] = (byte) 0xFF;
    mp3[1] = (byte) 0xFB;
    mp3[2] = (byte) 0x90;
    mp3[3] = (byte) 0x04;
    assertThat(AudioDuration.seconds(mp3, 0, mp3.length)).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void aXingHeaderGivesTheFrameCountAfterAnId3Tag() {
    byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 20};
    byte[] mp3 = new byte[id3.length + 20 + 400];
    System.arraycopy(id3, 0, mp3, 0, id3.length);
    int frame = id3.length + 20;
    mp3[frame] = (byte) 0xFF;
    mp3[frame + 1] = (byte) 0xFB;
    mp3[frame + 2] = (byte) 0x90;
    mp3[frame + 3] = (byte) 0x04; // stereo: 32 bytes of side information
    int xing = frame + 4 + 32;
    System.arraycopy("Xing".getBytes(StandardCharsets.US_ASCII), 0, mp3, xing, 4);
    ByteBuffer.wrap(mp3, xing + 4, 8).putInt(1).putInt(383); // frames present: 383 frames
    // 383 frames of 1,152 samples at 44.1 kHz.
    assertThat(AudioDuration.seconds(mp3, 0, mp3.length))
        .isCloseTo(383 * 1152 / 44_100.0, within(1e-9));
  }

  @Test
  void otherFormatsAreNotReadAndGetAnUpperBoundFromTheirSize() {
    byte[] m4a = "\0\0\0\u0020ftypM4A ".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(AudioDuration.seconds(m4a, 0, m4a.length)).isNull();
    // 16 kbit/s, the lowest rate assumed: 1 MB is at most 500 seconds.
    assertThat(AudioDuration.estimateSeconds(1_000_000)).isEqualTo(500);
  }
}
