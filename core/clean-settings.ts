/** How pages are cleaned: settings staff may choose per item (read by workers and the staff workspace). */

/** Quarter turns staff can apply to a page scanned sideways or upside down (clockwise). */
export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

/** How a page is cleaned; staff may change these per item (absent: the defaults). */
export interface CleanSettings {
  /**
   * Clockwise quarter turn applied after the EXIF orientation to every page of the item (default
   * 0). Any other value also switches orientation detection off for the item: staff have said how
   * its pages lie (a whole book scanned sideways), and detection must not second-guess them.
   */
  rotate: Rotation;
  /** Measure and correct skew (default on). */
  deskew: boolean;
  /** Crop and paint over dark scanner-bed borders (default on). */
  cropBorders: boolean;
}

export const DEFAULT_CLEAN_SETTINGS: CleanSettings = { rotate: 0, deskew: true, cropBorders: true };
