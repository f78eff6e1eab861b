"""Chapter 11's code exercises: one right solution and one typical wrong one each (kept out of the notebook)."""
import numpy as np


def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g**2))
    return g * (max_norm / norm) if norm > max_norm else g


def clip_by_value(g, max_norm):
    """Wrong: caps each entry separately, which changes the direction."""
    return np.clip(g, -max_norm, max_norm)


def cosine_schedule(lr, total_steps):
    t = np.arange(total_steps)
    return lr * 0.5 * (1 + np.cos(np.pi * t / total_steps))


def cosine_schedule_from_one(lr, total_steps):
    """Wrong: counts the steps from 1, so the first step never gets the full η."""
    t = np.arange(1, total_steps + 1)
    return lr * 0.5 * (1 + np.cos(np.pi * t / total_steps))


SOLUTIONS = {
    "11.clip_by_norm": dict(right=clip_by_norm, wrong=clip_by_value, wrong_hint_mentions="direction"),
    "11.cosine_schedule": dict(right=cosine_schedule, wrong=cosine_schedule_from_one, wrong_hint_mentions="count t from 0"),
}
