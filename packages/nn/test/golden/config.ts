/** The small GPT compared with PyTorch (tools/golden/nn_gpt.py builds the same one). */
export const GOLDEN_CONFIG = { vocabSize: 7, blockSize: 5, dModel: 8, heads: 2, layers: 2, hidden: 12, initStd: 0.3 } as const;
