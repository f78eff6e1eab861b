"""Chapter 8's code exercise: one right solution and one typical wrong one (kept out of the notebook)."""


def momentum_step_right(theta, u, g, lr, mu):
    u_new = mu * u + g
    return theta - lr * u_new, u_new


def momentum_step_with_the_old_velocity(theta, u, g, lr, mu):
    return theta - lr * u, mu * u + g


SOLUTIONS = {
    "08.momentum_step": dict(right=momentum_step_right, wrong=momentum_step_with_the_old_velocity,
                             wrong_hint_mentions="old u"),
}
