"""The README's ParaView screenshot of a 2-D run: pvpython (under xvfb-run where there is no display)
opens a `pint run --output` trajectory's .xmf with ParaView's XDMF reader, warps the surface by the
Parareal value at one slice boundary, colours it by that value and saves a PNG.

    xvfb-run -a pvpython paraview_screenshot.py FILE.xmf OUT.png [SLICE_BOUNDARY]
"""
import sys

from paraview import simple

xmf, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 2
reader = simple.XDMFReader(FileNames=[xmf])
t = list(reader.TimestepValues)[n]
reader.UpdatePipeline(t)
lo, hi = reader.PointData["parareal"].GetRange()
warp = simple.WarpByScalar(Input=reader, Scalars=["POINTS", "parareal"], ScaleFactor=0.4 / max(abs(lo), abs(hi), 1e-300))
view = simple.CreateView("RenderView")
view.ViewSize = [900, 620]
view.ViewTime = t
view.OrientationAxesVisibility = 1
display = simple.Show(warp, view)
simple.ColorBy(display, ("POINTS", "parareal"))
display.RescaleTransferFunctionToDataRange(True)
display.SetScalarBarVisibility(view, True)
text = simple.Text(Text=f"pint heat2d, Parareal final iterate, t = {t:.4g}")
simple.Show(text, view)
view.CameraPosition = [2.2, -1.6, 1.6]
view.CameraFocalPoint = [0.5, 0.25, 0.0]
view.CameraViewUp = [0, 0, 1]
simple.Render(view)
simple.SaveScreenshot(out, view, ImageResolution=[900, 620])
print(f"wrote {out} (t = {t})")
