#!/usr/bin/env Rscript
# Reference values for ewp_stats.engines.breaks.bai_perron_tests with fixed-coefficient regressors
# (partial structural change, mbreaks' x) and with mbreaks' HAC options (robust, prewhit), computed
# with R mbreaks 1.0.1 (../shared/peers/mbreaks_1.0.1.tar.gz).
#
# Run from the repository root:
#   Rscript tests/r/mbreaks_partial_reference.R tests/engines/reference/mbreaks_partial_reference.json
suppressMessages({library(mbreaks); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/engines/reference/mbreaks_partial_reference.json"
ns <- asNamespace("mbreaks")

run <- function(label, y, z = NULL, x = NULL, m, eps1, hetvar = 1, hetdat = 1, robust = 0, prewhit = 0) {
  df <- data.frame(y = as.numeric(y))
  for (nm in names(z)) df[[nm]] <- z[[nm]]
  for (nm in names(x)) df[[nm]] <- x[[nm]]
  a <- list(y_name = "y", z_name = names(z), x_name = names(x), data = df, m = m, eps1 = eps1,
            prewhit = prewhit, robust = robust, hetdat = hetdat, hetvar = hetvar)
  tst <- do.call(dotest, a)
  sq <- do.call(doseqtests, a)
  pd <- ns$process_data(y_name = "y", z_name = names(z), x_name = names(x), data = df, const = 1)
  bigT <- nrow(pd$y); h <- floor(eps1 * bigT)
  gl <- ns$doglob(pd$y, pd$z, pd$x, m, 1e-5, h, 10, 0, 0, 0, eps1)
  nseq <- sapply(1:4, function(sl) {
    r <- suppressMessages(do.call(dosequa, c(a, list(signif = sl))))
    if (r$nbreak == 0) list(n = 0L, dates = integer(0)) else list(n = r$nbreak, dates = as.integer(r$date))
  }, simplify = FALSE)
  list(label = label, y = as.numeric(y),
       z = if (is.null(z)) NULL else lapply(z, as.numeric), x = if (is.null(x)) NULL else lapply(x, as.numeric),
       m = m, eps1 = eps1, hetvar = hetvar, hetdat = hetdat, robust = robust, prewhit = prewhit, h = h,
       supf = as.numeric(tst$ftest), seq_supf = as.numeric(sq$supfl),
       ssr = as.numeric(gl$glb),
       break_positions = lapply(1:m, function(i) as.integer(gl$datevec[1:i, i])),
       n_breaks_sequential = sapply(nseq, `[[`, "n"),
       sequential_break_positions = lapply(nseq, `[[`, "dates"),
       intervals = intervals(pd, gl, m, robust, prewhit))
}

# interval() (the confidence intervals of mdl()/dofix()) at the global dates for 1..min(m, 3) breaks,
# for the four hetomega/hetq combinations; columns: lower 95%, upper 95%, lower 90%, upper 90%.
# The raw quantiles cvg() returns are kept too (interval() adds 1 to the upper bounds of all
# earlier breaks once per later break; see tests/engines/test_bai_perron_partial.py).
intervals <- function(pd, gl, m, robust, prewhit) {
  out <- list()
  for (mm in seq_len(min(m, 3))) for (ho in 0:1) for (hq in 0:1) {
    b <- as.matrix(gl$datevec[1:mm, mm])
    zbar <- ns$diag_par(pd$z, mm, b)
    bound <- ns$interval(pd$y, pd$z, zbar, b, pd$q, mm, robust, prewhit, ho, hq, pd$x, pd$p)
    out[[length(out) + 1]] <- list(m = mm, hetomega = ho, hetq = hq, dates = as.integer(b),
                                   bound = lapply(seq_len(mm), function(i) as.numeric(bound[i, ])))
  }
  out
}

set.seed(20261202)
n1 <- 150; x1 <- rnorm(n1); t1 <- 1:n1
y1 <- 0.5 + ifelse(t1 > 50, 1, 0) + ifelse(t1 > 100, -1.2, 0) + 0.8 * x1 + rnorm(n1, sd = 0.7)
n2 <- 200; z2 <- rnorm(n2); xa <- rnorm(n2); xb <- runif(n2); t2 <- 1:n2
y2 <- 1 + ifelse(t2 > 120, 1.5, 0) + (0.5 + ifelse(t2 > 60, 1, 0)) * z2 - 0.7 * xa + 2 * xb + rnorm(n2, sd = 0.6)
# AR(1) errors for the HAC options
e3 <- as.numeric(arima.sim(list(ar = 0.5), n = 180, sd = 0.8)); t3 <- 1:180; x3 <- rnorm(180)
y3 <- 2 + ifelse(t3 > 90, 1.2, 0) + 0.5 * x3 + e3
cases <- list(
  run("partial_const_breaks_x_fixed", y1, x = list(x = x1), m = 4, eps1 = 0.15),
  run("partial_const_breaks_x_fixed_hetvar0", y1, x = list(x = x1), m = 4, eps1 = 0.15, hetvar = 0),
  run("partial_two_z_two_x", y2, z = list(z = z2), x = list(xa = xa, xb = xb), m = 5, eps1 = 0.10),
  run("hac_pure_robust", y3, z = list(x = x3), m = 3, eps1 = 0.15, robust = 1),
  run("hac_pure_robust_prewhit", y3, z = list(x = x3), m = 3, eps1 = 0.15, robust = 1, prewhit = 1),
  run("hac_pure_robust_hetvar0", y3, z = list(x = x3), m = 3, eps1 = 0.20, robust = 1, hetvar = 0),
  run("hac_mean_robust_prewhit", y3, m = 4, eps1 = 0.15, robust = 1, prewhit = 1),
  run("hac_partial_robust_prewhit", y3, x = list(x = x3), m = 3, eps1 = 0.15, robust = 1, prewhit = 1)
)
res <- list(r_version = R.version.string, mbreaks_version = as.character(packageVersion("mbreaks")),
            note = "mbreaks const = 1 adds an intercept to z; x are the fixed-coefficient regressors",
            cases = cases)
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, null = "null", pretty = TRUE), out)
cat("wrote", out, "\n")
