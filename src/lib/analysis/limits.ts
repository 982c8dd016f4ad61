/** Label given to invalid pixels. Labels are bytes, so k is capped well below it. */
export const NO_LABEL = 255;
export const MIN_CLUSTERS = 2;
export const MAX_CLUSTERS = 20;
