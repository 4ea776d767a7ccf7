/**
 * Direct detection of dark matter: a small simulation of a dual-phase xenon time projection
 * chamber with XENON1T's published geometry and response, from a recoil's energy to the S1 and
 * S2 light seen by each photomultiplier and the 75x75x3 image made of it. Every parameter is
 * written once, in {@link org.darkscope.tpc.TpcDetector}, with its source.
 */
package org.darkscope.tpc;
