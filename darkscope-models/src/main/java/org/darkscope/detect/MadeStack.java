package org.darkscope.detect;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of an autoregressive flow: a stack of MADE networks ({@code made0}, {@code made1},
 * ...), each giving {@code perFeature} parameters for every feature from the features before it.
 * Output of a flow block: the base-space point u and the summed log|det| per event.
 */
abstract class MadeStack extends AbstractBlock {
    protected final int dimension;
    protected final List<Block> made = new ArrayList<>();

    MadeStack(int dimension, int layers, int[] hidden, int perFeature) {
        this.dimension = dimension;
        for (int k = 0; k < layers; k++) {
            made.add(addChildBlock("made" + k, MaskedAutoregressiveFlow.FlowBlock.madeNetwork(dimension, hidden, perFeature)));
        }
    }

    /** Each layer's MADE network as plain dense layers (masks applied), ReLU between, the last linear. */
    List<List<DenseForm.Layer>> madeLayers() {
        List<List<DenseForm.Layer>> layers = new ArrayList<>();
        for (Block network : made) {
            List<MaskedAutoregressiveFlow.MaskedLinear> linear = network.getChildren().values().stream()
                    .filter(b -> b instanceof MaskedAutoregressiveFlow.MaskedLinear).map(b -> (MaskedAutoregressiveFlow.MaskedLinear) b).toList();
            List<DenseForm.Layer> form = new ArrayList<>();
            for (int i = 0; i < linear.size(); i++) {
                form.add(linear.get(i).form(i + 1 < linear.size() ? DenseForm.Activation.RELU : DenseForm.Activation.LINEAR));
            }
            layers.add(form);
        }
        return layers;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape(inputShapes[0].get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : made) {
            b.initialize(manager, dataType, inputShapes);
        }
    }
}
