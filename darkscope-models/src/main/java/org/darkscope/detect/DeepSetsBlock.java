package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A permutation-invariant network on sets (M. Zaheer et al., "Deep Sets", NeurIPS 2017):
 * rho(sum over rows of phi(row)), the same network phi applied to every row, the rows summed
 * (sum, not mean, keeps the multiplicity, which the physics needs), then rho. Input
 * (events, rows, features) whose first feature is the row's presence flag (the
 * {@link org.darkscope.feature.ObjectSetEncoding}); absent rows are left out of the sum, so the
 * output does not depend on the order of the rows or on how many padding rows there are.
 */
final class DeepSetsBlock extends AbstractBlock {
    private final Block phi;
    private final Block rho;
    private final int phiWidth;

    DeepSetsBlock(Block phi, int phiWidth, Block rho) {
        this.phi = addChildBlock("phi", phi);
        this.rho = addChildBlock("rho", rho);
        this.phiWidth = phiWidth;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray present = x.get(":, :, 0:1");
        NDArray perRow = phi.forward(store, new NDList(x), training).singletonOrThrow(); // (events, rows, width)
        NDArray pooled = perRow.mul(present).sum(new int[] {1});
        return rho.forward(store, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return rho.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), phiWidth)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        phi.initialize(manager, dataType, inputShapes);
        rho.initialize(manager, dataType, new Shape(inputShapes[0].get(0), phiWidth));
    }
}
