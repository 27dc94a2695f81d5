"""The stable diagnostic codes of the render stage, with what each means and what to do.

``CODES`` is the documentation table (code -> (meaning, what to do)) behind
docs/diagnostics.md. The codes are written where they arise (decode.py, asset.py,
run.py); each names the file object, its key and, for a preset's finding, the channel.
An error keeps the image out, so `cpc build` stops; a warning is recorded with the
rendition in the audit manifest.
"""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    # --- errors: the master cannot be rendered -------------------------------------
    "E-RENDER-READ": (
        "the master file could not be read from the snapshot store (an operating-system "
        "error, named in the message)",
        "check the disk and permissions of the build folder; build again, or take the "
        "snapshot again from the export"),
    "E-RENDER-EMPTY": (
        "the master file is empty (0 bytes)",
        "upload the file again in 4ALLPORTAL and export again"),
    "E-RENDER-MISLABELLED": (
        "the file name's extension or the mime_type says one format, the bytes are another "
        "(a PNG named .jpg, a TIFF declared image/jpeg)",
        "correct file_name or mime_type in 4ALLPORTAL, or upload the file in the format "
        "it claims"),
    "E-RENDER-NOT-IMAGE": (
        "the file is neither an image cpc renders (JPEG, PNG, GIF, TIFF, WebP, BMP) nor a "
        "document it copies unchanged (PDF, PostScript, Office, RTF, SVG), judged by its "
        "bytes",
        "upload the image as JPEG, PNG or TIFF (convert HEIC, PSD, RAW, …)"),
    "E-RENDER-CORRUPT": (
        "the image is damaged: its header cannot be read, it gives a zero size, a PNG "
        "fails its checksums, or the pixel data is cut short",
        "open the master in an image editor, save it again and upload it"),
    "E-RENDER-PIXELS": (
        "the image has more pixels than limits.max_pixels (width × height, from the "
        "header, before anything is decoded): refused as a decompression bomb",
        "upload a smaller master, or raise limits.max_pixels in cpc.toml if the image is "
        "genuine"),
    "E-RENDER-MODE": (
        "the decoded image is in a pixel mode cpc cannot convert (e.g. 32-bit floating "
        "point or LAB)",
        "save the master as 8-bit RGB, greyscale or CMYK and upload it again"),
    "E-RENDER-LOW-DPI": (
        "at a print preset's placed size (after the focal-point crop) the master gives "
        "fewer dpi than renditions.print_min_dpi",
        "upload a master with more pixels for print, or lower renditions.print_min_dpi"),
    "E-RENDER-PROFILE": (
        "the CMYK press profile (renditions.profile, else the bundled FOGRA39) could not "
        "be loaded while rendering for print, or is not a CMYK profile",
        "point renditions.profile at a readable CMYK .icc file, or leave it empty for "
        "FOGRA39"),
    "E-RENDER-FAILED": (
        "rendering stopped unexpectedly (an internal error, exhausted memory, or the "
        "worker process died); the message names the cause",
        "build again with fewer --jobs or more memory; if it persists, report it to the "
        "cpc developers with the master"),
    # --- warnings: the rendition is made, with a remark ---------------------------------
    "W-RENDER-ANIMATED": (
        "the master has several frames (animated GIF or WebP, multi-page TIFF); only the "
        "first is rendered",
        "upload a still image if the first frame is not the one wanted"),
    "W-RENDER-PROFILE": (
        "the master's embedded ICC profile is unreadable or does not fit its pixels "
        "(e.g. an RGB profile on a CMYK image); it is ignored and sRGB (FOGRA39 for CMYK) "
        "assumed",
        "check the colours of the rendition; save the master with a matching profile"),
    "W-RENDER-LOW-DPI": (
        "at a print preset's placed size (long_edge or widths at dpi, after the "
        "focal-point crop) the master gives fewer dpi than the preset's dpi",
        "upload a master with more pixels for print"),
    "W-RENDER-SMALL": (
        "the master is smaller than a preset width; the rendition is made at the "
        "master's size (cpc never upscales)",
        "upload a larger master if the channel needs the full width"),
    "W-RENDER-MAX-BYTES": (
        "the rendition stays over its preset's max_bytes even at min_quality",
        "accept it, raise max_bytes or lower min_quality of the preset, or upload a "
        "simpler master"),
    "W-RENDER-TAC": (
        "the print rendition's total ink (C+M+Y+K) is over the preset's tac_limit",
        "check with the print shop; a press profile for the actual press "
        "(renditions.profile) usually keeps the ink in range"),
}
