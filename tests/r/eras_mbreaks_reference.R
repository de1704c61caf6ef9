#!/usr/bin/env Rscript
# Reference values for the Bai-Perron columns of ewp_stats.paper.eras_grid (the eras grid's
# cells "measure = ratio, model = jump"), computed with R mbreaks 1.0.1 (non-robust,
# prewhit = 0, robust = 0, hetdat = hetvar = 1): sup-F(m), UDmax and the sequential
# sup-F(l+1|l) of a linear trend (constant + t) in the east/west GDP ratio.
# The input series are the package's east_west_ratio data, written to
# tests/paper/reference/eras_mbreaks_input.csv.
#
# Run from the repository root:
#   Rscript tests/r/eras_mbreaks_reference.R tests/paper/reference/eras_mbreaks_reference.json
suppressMessages({library(mbreaks); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/paper/reference/eras_mbreaks_reference.json"
inp <- read.csv("tests/paper/reference/eras_mbreaks_input.csv")
ns <- asNamespace("mbreaks")
# trimming: the smallest tabulated eps1 with floor(eps1 * T) >= 5; m: the most breaks it allows
cases <- list(list(vintage = "gcam_compendium", eps1 = 0.20, m = 3),
              list(vintage = "nbs_2021", eps1 = 0.25, m = 2))
res <- lapply(cases, function(cs) {
  d <- inp[inp$vintage == cs$vintage, ]
  d <- d[order(d$year), ]
  df <- data.frame(y = d$ratio, t = seq_len(nrow(d)))
  a <- list(y_name = "y", z_name = "t", data = df, m = cs$m, eps1 = cs$eps1, prewhit = 0, robust = 0,
            hetdat = 1, hetvar = 1)
  tst <- do.call(dotest, a)
  sq <- do.call(doseqtests, a)
  pd <- ns$process_data(y_name = "y", z_name = "t", x_name = NULL, data = df, const = 1)
  h <- floor(cs$eps1 * nrow(pd$y))
  gl <- ns$doglob(pd$y, pd$z, pd$x, cs$m, 1e-5, h, 10, 0, 0, 0, cs$eps1)
  list(vintage = cs$vintage, eps1 = cs$eps1, m = cs$m, h = h,
       supf = as.numeric(tst$ftest), udmax = max(tst$ftest[seq_len(cs$m), 1]),
       seq_supf = as.numeric(sq$supfl), seq_cv = unname(sq$cv),
       break_positions = lapply(1:cs$m, function(i) as.integer(gl$datevec[1:i, i])))
})
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE), out)
