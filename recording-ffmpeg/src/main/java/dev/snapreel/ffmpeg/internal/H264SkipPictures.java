package dev.snapreel.ffmpeg.internal;

import java.util.List;
import java.util.Optional;

/**
 * Duplicated output slots as hand-made H.264 pictures instead of encoder runs.
 *
 * <p>At 5 FPS in and 30 FPS out, five of six output frames repeat the previous one. Encoding them
 * costs a full motion search each; a P picture whose macroblocks are all P_Skip costs a few bytes
 * to build and decodes to an exact copy of the reference picture: with no neighbour moving, every
 * skip motion vector predicts to zero (clause 8.4.1.1), there is no residual, and the deblocking
 * strength on every edge is 0.
 *
 * <p>The skip pictures are reference pictures, so they take {@code frame_num} values; the encoder,
 * which does not know about them, numbers its own pictures too low. {@link #renumber} rewrites the
 * (fixed-width) {@code frame_num} of each encoder slice to continue our count, so the stream stays
 * conformant: {@code frame_num} steps by one per reference picture and, with {@code
 * pic_order_cnt_type} 2, picture order follows it. This is only valid for streams where the last
 * picture is the only reference (max_num_ref_frames 1) and nothing reorders, so {@link #of} accepts
 * only POC type 2, progressive, one slice group, no weighted prediction — what libopenh264 produces
 * in its constrained baseline and its high profile.
 *
 * <p>With CAVLC (baseline) the slice data is one {@code mb_skip_run}. With CABAC (high profile) it
 * is, per macroblock, {@code mb_skip_flag} = 1 and {@code end_of_slice_flag}, arithmetic-coded
 * ({@link H264Cabac}): every neighbour is skipped too, so the flag's context is always ctxIdx 11
 * (condTermFlagA = condTermFlagB = 0, clause 9.3.3.1.1.1), initialised for {@code cabac_init_idc} 0
 * and the slice QP. About 15 bytes for 720p.
 */
final class H264SkipPictures {
  private static final int NAL_SLICE = 1;
  private static final int NAL_IDR = 5;
  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;

  private final int log2MaxFrameNum;
  private final int macroblocks;
  private final int ppsId;
  private final boolean cabac;
  /** With CABAC, the slice data after the alignment bits: the same for every skip picture. */
  private final byte[] cabacSliceData;

  private final boolean deblockingControl;
  private final boolean redundantPicCnt;
  private int nalRefIdc = 2;
  private int frameNum = -1;

  private H264SkipPictures(
      int log2MaxFrameNum,
      int macroblocks,
      int ppsId,
      boolean cabac,
      int sliceQp,
      boolean deblockingControl,
      boolean redundantPicCnt) {
    this.log2MaxFrameNum = log2MaxFrameNum;
    this.macroblocks = macroblocks;
    this.ppsId = ppsId;
    this.cabac = cabac;
    this.cabacSliceData = cabac ? cabacSkips(macroblocks, sliceQp) : new byte[0];
    this.deblockingControl = deblockingControl;
    this.redundantPicCnt = redundantPicCnt;
  }

  /**
   * Skip pictures for the stream described by {@code extradata} (SPS and PPS in Annex B), or empty when
   * the stream's parameters do not allow them (then duplicates must be encoded).
   */
  static Optional<H264SkipPictures> of(byte[] extradata) {
    try {
      Sps sps = null;
      Pps pps = null;
      for (byte[] nal : H264Bits.splitAnnexB(extradata)) {
        int type = nal[0] & 0x1F;
        if (type == NAL_SPS && sps == null) {
          sps = Sps.parse(H264Bits.unescape(nal));
        } else if (type == NAL_PPS && pps == null) {
          pps = Pps.parse(H264Bits.unescape(nal));
        }
      }
      if (sps == null || pps == null || !sps.allowsSkipPictures() || !pps.allowsSkipPictures()) {
        return Optional.empty();
      }
      return Optional.of(new H264SkipPictures(
          sps.log2MaxFrameNum,
          sps.macroblocks,
          pps.id,
          pps.cabac,
          26 + pps.picInitQpMinus26,
          pps.deblockingControl,
          pps.redundantPicCnt));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      return Optional.empty(); // not a stream we understand: encode duplicates
    }
  }

  /** Whether an encoder picture has been seen: a skip picture needs one to copy. */
  boolean hasReference() {
    return frameNum >= 0;
  }

  /**
   * Rewrites {@code frame_num} in the slices of one encoder access unit (Annex B) to follow the
   * skip pictures written since the last IDR. Returns {@code accessUnit} itself when nothing changed.
   */
  byte[] renumber(byte[] accessUnit) {
    List<byte[]> units = H264Bits.splitAnnexB(accessUnit);
    boolean changed = false;
    boolean pictureNumbered = false;
    for (int i = 0; i < units.size(); i++) {
      byte[] nal = units.get(i);
      int type = nal[0] & 0x1F;
      if (type != NAL_SLICE && type != NAL_IDR) {
        continue;
      }
      if (!pictureNumbered) {
        // One access unit is one picture: every slice of it gets the same number.
        frameNum = type == NAL_IDR ? 0 : (frameNum + 1) & ((1 << log2MaxFrameNum) - 1);
        nalRefIdc = Math.max(1, (nal[0] >> 5) & 3);
        pictureNumbered = true;
      }
      if (type == NAL_IDR) {
        continue; // frame_num is 0 in IDR pictures already
      }
      byte[] rbsp = H264Bits.unescape(nal);
      H264Bits.Reader r = new H264Bits.Reader(rbsp);
      r.skip(8);
      r.ue(); // first_mb_in_slice
      r.ue(); // slice_type
      r.ue(); // pic_parameter_set_id
      int at = r.position();
      if (r.u(log2MaxFrameNum) != frameNum) {
        H264Bits.put(rbsp, at, log2MaxFrameNum, frameNum);
        units.set(i, H264Bits.escape(rbsp));
        changed = true;
      }
    }
    return changed ? H264Bits.joinAnnexB(units) : accessUnit;
  }

  /** The next skip picture (Annex B): a P slice of {@code PicSizeInMbs} skipped macroblocks. */
  byte[] next() {
    if (!hasReference()) {
      throw new IllegalStateException("a skip picture needs a previous picture");
    }
    frameNum = (frameNum + 1) & ((1 << log2MaxFrameNum) - 1);
    H264Bits.Writer w = new H264Bits.Writer();
    w.u(1, 0).u(2, nalRefIdc).u(5, NAL_SLICE);
    w.ue(0); // first_mb_in_slice
    w.ue(0); // slice_type P
    w.ue(ppsId);
    w.u(log2MaxFrameNum, frameNum);
    // pic_order_cnt_type 2: no POC syntax
    if (redundantPicCnt) {
      w.ue(0);
    }
    w.u1(1).ue(0); // num_ref_idx_active_override_flag: one reference, whatever the PPS default
    w.u1(0); // ref_pic_list_modification_flag_l0: the default list (the previous picture)
    w.u1(0); // adaptive_ref_pic_marking_mode_flag: sliding window
    if (cabac) {
      w.ue(0); // cabac_init_idc
    }
    w.se(0); // slice_qp_delta: SliceQPY is the PPS' initial QP
    if (deblockingControl) {
      w.ue(1); // disable_deblocking_filter_idc: nothing to filter anyway
    }
    byte[] rbsp;
    if (cabac) {
      while (!w.byteAligned()) {
        w.u1(1); // cabac_alignment_one_bit
      }
      rbsp = w.bytes(cabacSliceData).alignedWithZeros();
    } else {
      rbsp = w.ue(macroblocks).trailingBits(); // mb_skip_run: the whole picture
    }
    return H264Bits.joinAnnexB(List.of(H264Bits.escape(rbsp)));
  }

  /**
   * CABAC slice data of an all-skip picture, from its first byte (after the alignment bits) to the
   * end of the RBSP. It depends only on the macroblock count and the slice QP, so it is built once.
   */
  private static byte[] cabacSkips(int macroblocks, int sliceQp) {
    H264Bits.Writer w = new H264Bits.Writer();
    H264Cabac engine = new H264Cabac(w);
    H264Cabac.Context skipFlag = new H264Cabac.Context(23, 33, sliceQp); // ctxIdx 11, init_idc 0
    for (int mb = 0; mb < macroblocks; mb++) {
      engine.decision(skipFlag, 1); // mb_skip_flag
      engine.terminate(mb == macroblocks - 1 ? 1 : 0); // end_of_slice_flag
    }
    return w.alignedWithZeros(); // the flush wrote the rbsp_stop_one_bit
  }

  private record Sps(
      int log2MaxFrameNum, int pocType, int maxRefFrames, boolean frameMbsOnly, int macroblocks) {
    static Sps parse(byte[] rbsp) {
      H264Bits.Reader r = new H264Bits.Reader(rbsp);
      r.skip(8);
      int profile = r.u(8);
      r.skip(16); // constraint flags, level_idc
      r.ue(); // seq_parameter_set_id
      if (profile == 100
          || profile == 110
          || profile == 122
          || profile == 244
          || profile == 44
          || profile == 83
          || profile == 86
          || profile == 118
          || profile == 128
          || profile == 138
          || profile == 139
          || profile == 134
          || profile == 135) {
        if (r.ue() == 3) { // chroma_format_idc
          r.u1(); // separate_colour_plane_flag
        }
        r.ue(); // bit_depth_luma_minus8
        r.ue(); // bit_depth_chroma_minus8
        r.u1(); // qpprime_y_zero_transform_bypass_flag
        if (r.u1() == 1) {
          throw new IllegalArgumentException("scaling matrices are not parsed");
        }
      }
      int log2MaxFrameNum = r.ue() + 4;
      int pocType = r.ue();
      if (pocType == 0) {
        r.ue();
      } else if (pocType == 1) {
        throw new IllegalArgumentException("POC type 1 is not supported");
      }
      int maxRefFrames = r.ue();
      r.u1(); // gaps_in_frame_num_value_allowed_flag
      int widthMbs = r.ue() + 1;
      int heightMapUnits = r.ue() + 1;
      boolean frameMbsOnly = r.u1() == 1;
      return new Sps(
          log2MaxFrameNum, pocType, maxRefFrames, frameMbsOnly, widthMbs * heightMapUnits);
    }

    boolean allowsSkipPictures() {
      return pocType == 2 && maxRefFrames == 1 && frameMbsOnly && log2MaxFrameNum <= 16;
    }
  }

  private record Pps(
      int id,
      boolean cabac,
      int sliceGroups,
      boolean weighted,
      int picInitQpMinus26,
      boolean deblockingControl,
      boolean redundantPicCnt) {
    static Pps parse(byte[] rbsp) {
      H264Bits.Reader r = new H264Bits.Reader(rbsp);
      r.skip(8);
      int id = r.ue();
      r.ue(); // seq_parameter_set_id
      boolean cabac = r.u1() == 1;
      r.u1(); // bottom_field_pic_order_in_frame_present_flag
      int sliceGroups = r.ue() + 1;
      if (sliceGroups > 1) {
        return new Pps(id, cabac, sliceGroups, false, 0, false, false);
      }
      r.ue(); // num_ref_idx_l0_default_active_minus1
      r.ue(); // num_ref_idx_l1_default_active_minus1
      boolean weighted = r.u1() == 1;
      r.u(2); // weighted_bipred_idc
      int picInitQpMinus26 = r.se();
      r.se(); // pic_init_qs_minus26
      r.se(); // chroma_qp_index_offset
      boolean deblocking = r.u1() == 1;
      r.u1(); // constrained_intra_pred_flag
      boolean redundant = r.u1() == 1;
      return new Pps(id, cabac, sliceGroups, weighted, picInitQpMinus26, deblocking, redundant);
    }

    boolean allowsSkipPictures() {
      return sliceGroups == 1 && !weighted;
    }
  }
}
