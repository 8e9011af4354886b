"""gradient_docs: the numerical code behind the gradient-docs site.

Loss functions and their gradients, activations, softmax and its Jacobian, finite-difference
gradients, a gradient checker, and the gradients that train a model: a linear layer's backward
pass, softmax regression, a two-layer network and gradient descent. Every function validates its
input and names the argument it rejects.
"""

from gradient_docs import autodiff, examples
from gradient_docs.activations import relu, relu_grad, sigmoid, sigmoid_grad
from gradient_docs.check import GradientCheck, check_gradient, relative_error
from gradient_docs.classification import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    hinge,
    hinge_grad,
    multiclass_hinge,
    multiclass_hinge_grad,
)
from gradient_docs.divergences import kl_divergence, kl_divergence_grad
from gradient_docs.finite_diff import Derivative, default_step, derivative, gradient, hessian, jacobian
from gradient_docs.learning import (
    MinibatchGradients,
    SoftmaxRegressionFit,
    TwoLayerParams,
    gradient_descent,
    linear_backward,
    load_iris,
    softmax_regression_loss_and_grad,
    softmax_regression_minibatch_grads,
    stratified_split,
    train_softmax_regression,
    two_layer_init,
    two_layer_loss_and_grads,
    two_layer_scores,
)
from gradient_docs.losses import huber, huber_grad, log_cosh, log_cosh_grad, mae, mae_grad, mse, mse_grad
from gradient_docs.registry import LOSSES, LossSpec
from gradient_docs.softmax import log_softmax, logsumexp, softmax, softmax_jacobian, softmax_jvp

__all__ = [
    "LOSSES",
    "Derivative",
    "GradientCheck",
    "LossSpec",
    "MinibatchGradients",
    "SoftmaxRegressionFit",
    "TwoLayerParams",
    "autodiff",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "check_gradient",
    "cross_entropy",
    "cross_entropy_grad",
    "default_step",
    "derivative",
    "examples",
    "gradient",
    "gradient_descent",
    "hessian",
    "hinge",
    "hinge_grad",
    "huber",
    "huber_grad",
    "jacobian",
    "kl_divergence",
    "kl_divergence_grad",
    "linear_backward",
    "load_iris",
    "log_cosh",
    "log_cosh_grad",
    "log_softmax",
    "logsumexp",
    "mae",
    "mae_grad",
    "mse",
    "mse_grad",
    "multiclass_hinge",
    "multiclass_hinge_grad",
    "relative_error",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_jacobian",
    "softmax_jvp",
    "softmax_regression_loss_and_grad",
    "softmax_regression_minibatch_grads",
    "stratified_split",
    "train_softmax_regression",
    "two_layer_init",
    "two_layer_loss_and_grads",
    "two_layer_scores",
]

__version__ = "0.1.0"
