"""AE-KD weighting: per-teacher distillation losses, their gradients, the Gram matrix, alpha.

Per-teacher loss (temperature ``T``): ``l_m = T^2 KL(softmax(t_m / T) || softmax(s / T))``,
averaged over the batch.  The gradients ``g_m`` that enter the min-norm problem are
taken in one of three spaces (``space``):

* ``params``: w.r.t. all student parameters -- exactly Theorem 1's ``nabla_theta l_m``.
  The ``M`` gradients come from ONE batched backward (``is_grads_batched``), ``K =
  G G^T``, and the update direction ``d = -sum alpha_m g_m`` is applied directly.
* ``logits``: w.r.t. the student's logits, per sample (``B x classes`` flattened) --
  the cheap surrogate, in closed form (:func:`kd_logit_gradients`); the parameter
  update is ONE backward of ``sum alpha_m d l_m / d logits`` through the network.
* ``logits-mean``: the batch-mean logit gradient (``classes`` entries), what the
  official AE-KD code uses; offered to reproduce it, not recommended.

The optional cross-entropy term is NOT part of the min-norm problem (as in AE-KD):
its gradient is added to the update after ``alpha`` is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError, require

__all__ = ["SPACES", "StepGradients", "kd_losses", "step_gradients"]

torch = require("torch", "train")
F = torch.nn.functional

SPACES = ("params", "logits", "logits-mean")


def kd_losses(student_logits, teacher_logits, T: float):
    """``(M,)`` tensor of ``T^2 KL(p_m || q)``, batch-mean; ``teacher_logits`` is ``(M, B, classes)``."""
    logq = F.log_softmax(student_logits / T, dim=-1)[None]
    logp = F.log_softmax(teacher_logits / T, dim=-1)
    return (T * T) * (logp.exp() * (logp - logq)).sum(-1).mean(-1)


@dataclass
class StepGradients:
    """What one step's weighting needs: losses ``(M,)``, ``G`` ``(M, n)`` (flattened), ``K`` (float64),
    and the student's logits still attached to the graph (for the logit spaces' backward)."""

    losses: object
    G: object
    K: object
    logits: object
    logit_grads: object = None  # (M, B, classes): d l_m / d logits (logit spaces)


def kd_logit_gradients(student_logits, teacher_logits, T: float):
    """``d l_m / d z = T (softmax(z / T) - softmax(t_m / T)) / B``, shape ``(M, B, classes)``.

    Closed form of the gradient of :func:`kd_losses` w.r.t. the student's logits
    ``z`` (``d log softmax(z/T)_c / d z_k = (delta_ck - q_k) / T``); the tests check it
    against autograd.
    """
    B = student_logits.shape[0]
    q = F.softmax(student_logits / T, dim=-1)[None]
    p = F.softmax(teacher_logits / T, dim=-1)
    return T * (q - p) / B


def step_gradients(student, x, teacher_logits, T: float, space: str, *, keep_graph: bool = False) -> StepGradients:
    """Losses and the per-teacher gradients in ``space`` (see the module docstring).

    ``keep_graph`` keeps the ``params`` graph alive for a later cross-entropy backward.
    """
    if space not in SPACES:
        raise InputError(f"unknown gradient space {space!r}; choose one of {SPACES}")
    M = teacher_logits.shape[0]
    if space == "params":
        params = [p for p in student.parameters() if p.requires_grad]
        logits = student(x)
        losses = kd_losses(logits, teacher_logits, T)
        eye = torch.eye(M, dtype=losses.dtype, device=losses.device)
        grads = torch.autograd.grad(losses, params, grad_outputs=eye, is_grads_batched=True,
                                    retain_graph=keep_graph)
        G = torch.cat([g.reshape(M, -1) for g in grads], dim=1)
    else:
        logits = student(x)  # attached: the update is one backward of sum alpha_m d l_m / d logits
        z = logits.detach()
        losses = kd_losses(z, teacher_logits, T)
        gz = kd_logit_gradients(z, teacher_logits, T)  # (M, B, classes), closed form: no autograd
        G = gz.mean(1) if space == "logits-mean" else gz.reshape(M, -1)
    G = G.detach()
    G64 = G.double()
    K = G64 @ G64.T  # float64 Gram matrix: alpha is then optimal for G itself, not for a float32 K
    return StepGradients(losses.detach(), G, 0.5 * (K + K.T), logits, None if space == "params" else gz)
