# Eisenberg–Noe clearing of a bench/gen network by systemicrisk 0.4.3, the
# peer of `roundtrip clear` in issue 15. Reads the CSV triplets and nodes
# file run.sh writes; prints the clearing vector as CSV (node,payment), to
# compare with roundtrip's "payments".
#
#   Rscript bench/peers/en_systemicrisk.R DIR/en2000.csv DIR/en2000-nodes.csv lp > en-lp.csv
#   Rscript bench/peers/en_systemicrisk.R DIR/en2000.csv DIR/en2000-nodes.csv fd > en-fd.csv
#
# lp: default_clearing(L, ea) with alpha = beta = 1, which solves the
# Eisenberg–Noe linear programme (lpSolve). fd: the package's fictitious
# default algorithm (Rogers & Veraart's GCVA, Def. 3.6), which it runs only
# when a default cost is below 1, so alpha = beta = the largest double
# below 1 (a haircut of 1.1e-16, far below the 1e-6 agreement checked).
suppressMessages(library(systemicrisk))
args <- commandArgs(trailingOnly = TRUE)
edges <- read.csv(args[1])
nodes <- read.csv(args[2])
nodes <- nodes[order(nodes$node), ]
n <- nrow(nodes)
L <- matrix(0, n, n)
L[cbind(edges$i + 1, edges$j + 1)] <- edges$value
method <- if (length(args) >= 3) args[3] else "lp"
below1 <- 1 - .Machine$double.eps / 2
res <- switch(method,
  lp = default_clearing(L, nodes$external_assets),
  fd = default_clearing(L, nodes$external_assets, alpha = below1, beta = below1),
  stop("method: want lp or fd")
)
write.csv(data.frame(node = 0:(n - 1), payment = as.numeric(res$clearingvec)), stdout(), row.names = FALSE)
