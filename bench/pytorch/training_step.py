"""One training step of a small GPT in PyTorch 1.13 on one CPU thread (issue 14, goal 1): the
practical limit that bench/src/training-step.ts compares attograd with.

Run with Debian's python3-torch:  /usr/bin/python3 bench/pytorch/training_step.py [steps]
Prints JSON: the median milliseconds of one step (zero_grad, forward, cross-entropy, backward,
AdamW step) in float32 and float64, after warm-up steps.

The model is the one @attograd/nn's GPT builds: token + position embeddings, pre-norm blocks
(x + attn(ln1(x)), h + mlp(ln2(h)), causal nn.MultiheadAttention with biases, exact-GELU MLP of
width 4d), a final layer norm and an untied head without bias; vocab 64, width 64, 4 heads,
2 layers, sequence 64, batch 16; AdamW(lr 3e-4, weight decay 0.1).
"""
import json
import statistics
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
VOCAB, WIDTH, HEADS, LAYERS, SEQ, BATCH = 64, 64, 4, 2, 64, 16


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(WIDTH)
        self.attention = nn.MultiheadAttention(WIDTH, HEADS, batch_first=True)
        self.ln2 = nn.LayerNorm(WIDTH)
        self.mlp = nn.Sequential(nn.Linear(WIDTH, 4 * WIDTH), nn.GELU(), nn.Linear(4 * WIDTH, WIDTH))

    def forward(self, x, mask):
        a = self.ln1(x)
        h = x + self.attention(a, a, a, attn_mask=mask, need_weights=False)[0]
        return h + self.mlp(self.ln2(h))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, WIDTH)
        self.positions = nn.Embedding(SEQ, WIDTH)
        self.blocks = nn.ModuleList(Block() for _ in range(LAYERS))
        self.final_norm = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCAB, bias=False)

    def forward(self, ids, targets, mask):
        x = self.tokens(ids) + self.positions.weight[: ids.shape[1]]
        for block in self.blocks:
            x = block(x, mask)
        logits = self.head(self.final_norm(x))
        return nn.functional.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1))


def median_step_ms(dtype, steps):
    torch.manual_seed(0)
    model = GPT().to(dtype)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.1)
    ids = torch.randint(0, VOCAB, (BATCH, SEQ))
    targets = torch.randint(0, VOCAB, (BATCH, SEQ))
    mask = torch.triu(torch.ones(SEQ, SEQ, dtype=torch.bool), diagonal=1)
    times = []
    for step in range(steps + 3):
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = model(ids, targets, mask)
        loss.backward()
        optimizer.step()
        if step >= 3:
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    print(json.dumps({"torch": torch.__version__, "float32": median_step_ms(torch.float32, steps), "float64": median_step_ms(torch.float64, steps)}))
