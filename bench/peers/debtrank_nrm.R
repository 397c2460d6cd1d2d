# DebtRank of every single-node default of a bench/gen exposure network by
# NetworkRiskMeasures 0.1.7 (contagion(shock = "all"), Bardoscia et al.
# 2015), the peer of `roundtrip debtrank --shock all` in issue 15. Prints
# one row per shocked node (node,debtrank) as CSV.
#
#   Rscript bench/peers/debtrank_nrm.R DIR/dr2000.csv DIR/dr2000-nodes.csv [abs.tol] > dr.csv
#
# exposures[i][j] in the roundtrip file is what i loses if j fails: i's
# asset on j, NetworkRiskMeasures' exposure_type = "assets". Weights are
# the capital, roundtrip's default. The package's default abs.tol is
# .Machine$double.eps^0.2 (about 7e-4); issue 15 found that only 1e-13
# agrees with roundtrip to 1e-9 near criticality (spectral radius 0.9).
suppressMessages(library(NetworkRiskMeasures))
args <- commandArgs(trailingOnly = TRUE)
edges <- read.csv(args[1])
nodes <- read.csv(args[2])
nodes <- nodes[order(nodes$node), ]
n <- nrow(nodes)
A <- matrix(0, n, n, dimnames = list(0:(n - 1), 0:(n - 1)))
A[cbind(edges$i + 1, edges$j + 1)] <- edges$value
tol <- if (length(args) >= 3) as.numeric(args[3]) else .Machine$double.eps^0.2
res <- contagion(A, buffer = nodes$capital, weights = nodes$capital, shock = "all",
  method = "debtrank", exposure_type = "assets", abs.tol = tol, verbose = FALSE)
s <- summary(res)$summary_table
# additional_stress is DebtRank without the shocked node's own loss.
write.csv(data.frame(node = s$scenario, debtrank = s$additional_stress), stdout(), row.names = FALSE)
